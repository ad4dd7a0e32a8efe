#include "app/panel_command.hpp"

#include "app/config_location.hpp"
#include "app/console.hpp"
#include "app/process_env.hpp"
#include "config/file_config_store.hpp"
#include "panel/panel_fetch.hpp"
#include "runtime/logger.hpp"

#include <system_error>

namespace cpa::core {
namespace {

namespace fs = std::filesystem;

fs::path outputTarget(const std::string& output) {
    std::error_code ec;
    const fs::path p(output);
    if (fs::is_directory(p, ec) || (!output.empty() && output.back() == '/')) return p / std::string(panel::kAssetName);
    return p;
}

}  // namespace

int panelFetchCommand(const CliOptions& options) {
    const fs::path cwd = currentDir();
    std::string error;
    std::optional<fs::path> config = locateConfig(options, cwd, error);
    if (!config && !options.outputPath) {
        printError(error + "\n(or give --output PATH to fetch without a config)");
        return 1;
    }
    panel::FetchOptions fetch;
    if (config) {
        const auto log = makeLogger("cpa.panel");
        try {
            const auto store = FileConfigStore::open(config->string(), *log, FileConfigStore::Mode::ReadOnly);
            const fs::path configFile = config->is_absolute() ? *config : cwd / *config;
            fetch = panel::fetchOptionsFrom(*store->snapshot(), configFile.parent_path());
        } catch (const ConfigLoadError& e) {
            printError(e.what());
            return 1;
        }
    }
    if (options.outputPath) fetch.target = outputTarget(*options.outputPath);
    const panel::FetchResult r = panel::fetchPanel(fetch);
    if (r.outcome == panel::FetchResult::Outcome::Failed) {
        printError("panel fetch failed: " + r.message);
        return 1;
    }
    writeStdout(fetch.target.lexically_normal().string() + ": " + r.message + "\n");
    return 0;
}

}  // namespace cpa::core
