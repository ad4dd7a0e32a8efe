#include "app/cli.hpp"

#include "runtime/build_info.hpp"

#include <cpa/sdk/version.hpp>

#include <algorithm>
#include <system_error>
#include <unistd.h>

#ifndef CPA_INSTALL_MODULES_RELDIR
#define CPA_INSTALL_MODULES_RELDIR "lib/cpa/modules"
#endif
#ifndef CPA_INSTALL_SYSCONF_CONFIG
#define CPA_INSTALL_SYSCONF_CONFIG "/etc/cpa/config.yaml"
#endif

namespace cpa::core {
namespace {

namespace fs = std::filesystem;

// Accepts "--name VALUE" and "--name=VALUE". Returns false when `arg` is not
// this flag; sets `error` when it is but the value is missing.
bool takeValue(const std::vector<std::string>& args, std::size_t& i, const std::string& name,
               std::optional<std::string>& out, CliError& error) {
    const std::string& arg = args[i];
    if (arg == name) {
        if (i + 1 >= args.size()) {
            error.message = "option " + name + " needs a value";
            return true;
        }
        out = args[++i];
    } else if (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 && arg[name.size()] == '=') {
        out = arg.substr(name.size() + 1);
    } else {
        return false;
    }
    if (out->empty()) error.message = "option " + name + " needs a non-empty value";
    return true;
}

bool isRegularFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

}  // namespace

std::optional<CliOptions> parseCli(const std::vector<std::string>& args, CliError& error) {
    CliOptions options;
    error.message.clear();
    std::size_t i = 0;
    // Subcommands come first, like git's: `panel fetch`, `store import`.
    if (args.size() >= 1 && args[0] == "panel") {
        if (args.size() < 2 || args[1] != "fetch") {
            error.message = "panel: expected 'panel fetch'";
            return std::nullopt;
        }
        options.action = CliOptions::Action::PanelFetch;
        i = 2;
    } else if (!args.empty() && args[0] == "store") {
        if (args.size() < 2 || args[1] != "import") {
            error.message = "unknown command: store" + (args.size() < 2 ? std::string() : " " + args[1]) +
                            " (the one store command is: store import --config PATH)";
            return std::nullopt;
        }
        options.action = CliOptions::Action::StoreImport;
        i = 2;
    }
    for (; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            options.action = CliOptions::Action::Help;
            return options;  // help wins over anything else on the line
        }
        if (arg == "--version") {
            options.action = CliOptions::Action::Version;
            continue;
        }
        if ((arg == "--check-config" || arg == "-t") && options.action != CliOptions::Action::PanelFetch) {
            options.action = CliOptions::Action::CheckConfig;
            continue;
        }
        const bool panel = options.action == CliOptions::Action::PanelFetch;
        if (takeValue(args, i, "--config", options.configPath, error) ||
            takeValue(args, i, "--modules-dir", options.modulesDir, error) ||
            (panel && takeValue(args, i, "--output", options.outputPath, error))) {
            if (!error.message.empty()) return std::nullopt;
            continue;
        }
        error.message = arg.rfind('-', 0) == 0 ? "unknown option: " + arg : "unexpected argument: " + arg;
        return std::nullopt;
    }
    if (options.action == CliOptions::Action::StoreImport && !options.configPath) {
        error.message = "store import needs --config PATH (the file deployment to move)";
        return std::nullopt;
    }
    return options;
}

std::string usageText(const std::string& program) {
    std::string s;
    s += "Usage: " + program + " [--config PATH] [--modules-dir DIR]\n";
    s += "       " + program + " --check-config | -t [--config PATH] [--modules-dir DIR]\n";
    s += "       " + program + " panel fetch [--config PATH] [--output PATH]\n";
    s += "       " + program + " store import --config PATH\n";
    s += "       " + program + " --version | --help\n";
    s += "\n";
    s += "Serves the CLIProxyAPI-compatible management API (/v0/management) and the modules\n";
    s += "found in the modules directory (or only those the config's `modules` list names):\n";
    s += "with `proxy`, the LLM endpoints (/v1/chat/completions, /v1/messages, /v1/responses,\n";
    s += "/v1beta/models, ...) in front of the configured provider keys. Listens on host:port\n";
    s += "from the config (default port 8317).\n";
    s += "\n";
    s += "Options:\n";
    s += "  --config PATH       config.yaml to use (also --config=PATH). Without it: " + systemConfigPath().string() + "\n";
    s += "                      if it exists, else ./config.yaml in the working directory;\n";
    s += "                      neither: an error. (The annotated reference,\n";
    s += "                      config.example.yaml, is never used on its own: copy it.)\n";
    s += "  --modules-dir DIR   directory of module libraries (*.so); overrides the config\n";
    s += "                      key modules-dir. Several directories: DIR1:DIR2 (every\n";
    s += "                      module of each loads; a module name may appear only once).\n";
    s += "                      Default: ../lib/cpa/modules relative to the binary's\n";
    s += "                      directory (installed: ../" CPA_INSTALL_MODULES_RELDIR ").\n";
    s += "  -t, --check-config  load and validate the config with every module's keys, print\n";
    s += "                      the problems (unknown keys, dropped provider entries, an open\n";
    s += "                      proxy), then exit: 0 valid, 1 refused. Writes nothing.\n";
    s += "  panel fetch         download the web panel (management.html) from the release\n";
    s += "                      feed of remote-management.panel-github-repository into\n";
    s += "                      <config dir>/static/, or to --output PATH (a file or a\n";
    s += "                      directory), then exit; copy it to offline machines.\n";
    s += "  --version           print version, commit, build date and SDK ABI, then exit\n";
    s += "  -h, --help          print this help, then exit\n";
    s += "\n";
    s += "Commands:\n";
    s += "  store import        moves a file deployment into the shared store its config\n";
    s += "                      selects (store: {type: postgres, dsn: ...}): the config\n";
    s += "                      becomes the shared configuration (a new version that\n";
    s += "                      running instances pick up).\n";
    s += "\n";
    s += "Environment:\n";
    s += "  MANAGEMENT_PASSWORD  extra management key, accepted from any client address\n";
    s += "                       (never written to disk)\n";
    s += "  CPA_PANEL_AUTO_UPDATE=0  no background download of the web panel (as\n";
    s += "                       remote-management.disable-auto-update-panel: true)\n";
    s += "  CPA_STORE_DSN        libpq connection string: selects the postgres store\n";
    s += "                       (overrides store.dsn)\n";
    s += "  CPA_INSTANCE_ID      this instance's name in the shared store (default\n";
    s += "                       hostname:pid)\n";
    s += "\n";
    s += "Signals: SIGTERM or SIGINT stop the server after in-flight requests finish\n";
    s += "(http-server.shutdown-drain-seconds). Edits of the config file are picked up\n";
    s += "automatically; SIGHUP re-reads it at once.\n";
    s += "\n";
    s += "Exit status: 0 after a clean shutdown, 1 when start-up fails (or the check or\n";
    s += "the fetch does), 2 for a bad command line.\n";
    return s;
}

std::string versionText() {
    const sdk::BuildInfo& b = buildInfo();
    std::string s = "cpa-server " + b.version + " (commit " + b.commit + ", built " + b.buildDate + ")\n";
    s += "cpa SDK " CPA_SDK_VERSION ", plugin ABI " + std::to_string(CPA_SDK_ABI_MAJOR) + "." +
         std::to_string(CPA_SDK_ABI_MINOR) + "\n";
    return s;
}

fs::path systemConfigPath() { return fs::path(CPA_INSTALL_SYSCONF_CONFIG); }

std::vector<fs::path> defaultConfigCandidates(const fs::path& workingDir, const fs::path& systemConfig,
                                              const fs::path& binaryDir) {
    std::vector<fs::path> out;
    const auto add = [&out](const fs::path& p) {
        if (!p.empty() && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    };
    add(systemConfig);
    add("/etc/cpa/config.yaml");
    // `cmake --install --prefix X` puts the config in X/etc/cpa beside X/bin.
    if (!binaryDir.empty()) add((binaryDir / "../etc/cpa/config.yaml").lexically_normal());
    add(workingDir / "config.yaml");
    return out;
}

std::optional<fs::path> defaultConfigPath(const fs::path& workingDir, const fs::path& systemConfig,
                                          const fs::path& binaryDir) {
    for (const fs::path& p : defaultConfigCandidates(workingDir, systemConfig, binaryDir)) {
        if (isRegularFile(p)) return p;
    }
    return std::nullopt;
}

fs::path executableDir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    return exe.parent_path();
}

}  // namespace cpa::core
