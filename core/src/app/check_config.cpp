#include "app/check_config.hpp"

#include "app/config_location.hpp"
#include "app/console.hpp"
#include "app/process_env.hpp"
#include "app/startup_notices.hpp"
#include "app/startup_paths.hpp"
#include "config/file_config_store.hpp"
#include "loader/module_host.hpp"
#include "runtime/build_info.hpp"
#include "runtime/event_bus.hpp"
#include "runtime/logger.hpp"
#include "runtime/module_context.hpp"
#include "runtime/services_registry.hpp"

#include <cpa/sdk/credential_sources.hpp>

#include <atomic>
#include <cstdlib>
#include <system_error>

namespace cpa::core {
namespace {

namespace fs = std::filesystem;

/// A directory under $TMPDIR for the modules' state (auth, logs, data) during
/// the check; removed with everything in it when the check ends.
class ScratchDir {
public:
    ScratchDir() {
        std::string tmpl = (fs::temp_directory_path() / "cpa-check-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::system_error(errno, std::generic_category(), "mkdtemp");
        path_ = tmpl;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

/// The modules of the config, configured (never started) against the store,
/// so every declaration and validator has run; torn down in reverse.
struct CheckedModules {
    explicit CheckedModules(FileConfigStore& s) : store(s) {}
    FileConfigStore& store;
    ServicesRegistry services;
    EventBus events;
    std::unique_ptr<ModuleHost> host;

    ~CheckedModules() {
        if (!host) return;
        services.clear();
        events.clear();
        host->destroyAll();
        // Validators and subscribers are module code: gone before the libraries.
        store.releaseCallbacks();
        host->unloadAll();
    }
};

int verdict(const fs::path& config, std::size_t warnings) {
    writeStdout(config.string() + ": OK" +
                (warnings == 0 ? std::string() : ", " + std::to_string(warnings) + " warning(s) above") + "\n");
    return 0;
}

int refused(const fs::path& config, const std::string& why) {
    printError(why);
    writeStdout(config.string() + ": INVALID\n");
    return 1;
}

}  // namespace

int checkConfig(const CliOptions& options, const fs::path& binaryDir) {
    const std::string cwd = currentDir();
    std::string error;
    const auto config = locateConfig(options, cwd, error);
    if (!config) {
        printError(error);
        return 1;
    }
    // Only problems: warnings and errors, counted as they are written.
    static std::atomic<std::size_t> problems{0};
    problems = 0;
    LogSink::instance().setThreshold(sdk::LogLevel::Warning);
    LogSink::instance().setWriter([](std::string_view line) {
        ++problems;
        stderrLogWriter()(line);
    });
    const auto log = makeLogger("cpa.check");
    std::shared_ptr<FileConfigStore> store;
    try {
        store = FileConfigStore::open(config->string(), *log, FileConfigStore::Mode::ReadOnly);
    } catch (const ConfigLoadError& e) {
        return refused(*config, e.what());
    }
    const sdk::SnapshotPtr snap = store->snapshot();
    const PathInputs inputs{*config, options.modulesDir, cwd, binaryDir, homeDir()};
    const ScratchDir scratch;
    sdk::Paths paths = resolvePaths(*snap, inputs);
    paths.authDir = (scratch.path() / "auth").string();
    paths.logDir = (scratch.path() / "logs").string();
    paths.dataDir = (scratch.path() / "data").string();
    const std::vector<std::string> dirs = modulesDirs(*snap, inputs);
    const sdk::BuildInfo& build = buildInfo();
    {
        CheckedModules m(*store);
        m.host = std::make_unique<ModuleHost>(log);
        provideLogWriterService(m.services);
        m.services.provide(sdk::kCredentialSourcesService, sdk::makeCredentialSources());
        try {
            m.host->load(std::vector<fs::path>(dirs.begin(), dirs.end()), enabledModules(*snap));
            m.host->configureAll([&](const ModuleInfo& info) -> std::unique_ptr<sdk::ModuleContext> {
                return std::make_unique<ModuleContextImpl>(*store, m.services, m.events, paths, build, info.name);
            });
            store->applyDeclarations();  // the unknown-key warnings
        } catch (const std::exception& e) {
            return refused(*config, e.what());
        }
    }
    for (const StartupNotice& n : startupNotices(*store->snapshot(), config->string(), managementPasswordSet())) {
        if (n.level >= sdk::LogLevel::Warning) log->log(n.level, n.text);
    }
    LogSink::instance().flush();
    return verdict(*config, problems.load());
}

}  // namespace cpa::core
