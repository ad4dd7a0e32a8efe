#include "app/server_app.hpp"

#include "app/access_guards_factory.hpp"
#include "app/config_location.hpp"
#include "app/console.hpp"
#include "app/check_config.hpp"
#include "app/panel_command.hpp"
#include "app/process_env.hpp"
#include "app/startup_notices.hpp"
#include "panel/panel_updater.hpp"
#include "app/observability_services.hpp"
#include "app/open_file_limit.hpp"
#include "app/server_options_reader.hpp"
#include "app/shutdown_signals.hpp"
#include "app/startup_paths.hpp"
#include "config/config_store_factory.hpp"
#include "config/file_config_store.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "loader/module_host.hpp"
#include "runtime/build_info.hpp"
#include "runtime/event_bus.hpp"
#include "runtime/held_logger.hpp"
#include "runtime/logger.hpp"
#include "runtime/module_context.hpp"
#include "runtime/services_registry.hpp"

#include <cpa/sdk/credential_sources.hpp>

#include <Poco/Exception.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <system_error>
#include <vector>

#include <pwd.h>
#include <unistd.h>

namespace cpa::core {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProgram = "cpa-server";

std::string joinNames(const std::vector<ModuleInfo>& infos) {
    std::string s;
    for (const ModuleInfo& i : infos) {
        if (!s.empty()) s += ", ";
        s += i.name + " " + i.version;
    }
    return s.empty() ? std::string("none") : s;
}

// "address already in use" for EADDRINUSE whatever layer reported it; the
// exception's own text otherwise.
std::string listenFailure(int code, std::string text) {
    if (code == EADDRINUSE || text.find("already in use") != std::string::npos) return "address already in use";
    if (text.empty()) text = "unknown error";
    return text;
}

}  // namespace

struct ServerApp::State {
    std::shared_ptr<SinkLogger> coreLog = makeLogger("cpa.core");
    std::shared_ptr<HeldLogger> storeLog = std::make_shared<HeldLogger>(coreLog);  ///< the config store's
    std::shared_ptr<FileConfigStore> store;
    StoreSettings storeSettings;
    sdk::Paths paths;
    ServerOptions serverOptions;
    ServicesRegistry services;
    EventBus events{coreLog};
    std::unique_ptr<ModuleHost> host;
    std::shared_ptr<Router> router;
    std::unique_ptr<HttpServer> server;
    std::unique_ptr<panel::PanelUpdater> panelUpdater;
    sdk::Subscription debugSubscription;
    std::shared_ptr<CoreGauges> gauges;
    std::uint16_t port = 0;
    bool watching = false;
};

ServerApp::ServerApp(CliOptions options, fs::path binaryDir)
    : options_(std::move(options)), binaryDir_(std::move(binaryDir)), state_(std::make_unique<State>()) {}

ServerApp::~ServerApp() { shutdown(); }

std::uint16_t ServerApp::port() const { return state_->port; }

int ServerApp::start() {
    try {
        return startSteps();
    } catch (const std::exception& e) {
        failStartup(e.what());
    } catch (...) {
        failStartup("unexpected start-up failure");
    }
    return 1;
}

void ServerApp::failListen(const std::string& address, const std::string& reason) noexcept {
    // A server whose start() threw never ran: destroy it without stop().
    if (state_->gauges) state_->gauges->attach(nullptr);
    state_->server.reset();
    // HttpServer::start() already says "cannot listen on <host>:<port>: …".
    const std::string prefix = "cannot listen on ";
    failStartup(reason.rfind(prefix, 0) == 0 ? reason : prefix + address + ": " + reason);
}

void ServerApp::failStartup(const std::string& message) noexcept {
    printError(message);
    shutdown();
}

int ServerApp::startSteps() {
    const std::string cwd = currentDir();
    fs::path configPath;
    const sdk::SnapshotPtr snap = openConfig(cwd, configPath);
    if (!snap) return 1;
    const std::vector<std::string> moduleDirs = resolveDirectories(*snap, configPath, cwd);
    AccessGuards guards;
    if (!startModules(*snap, moduleDirs, guards)) return 1;
    if (!startServer(std::move(guards))) return 1;
    watchConfig();
    announce();
    writeStderr(std::string(kProgram) + " listening on " +
                listenAddressText(state_->serverOptions.host, state_->port) + "\n");
    return 0;
}

// 1. The config file.
sdk::SnapshotPtr ServerApp::openConfig(const std::string& cwd, fs::path& configPath) {
    State& s = *state_;
    const sdk::BuildInfo& build = buildInfo();
    std::string locateError;
    const std::optional<fs::path> located = locateConfig(options_, cwd, locateError);
    if (!located) {
        printError(locateError);
        return nullptr;
    }
    configPath = *located;
    try {
        s.store = openConfigStore(configPath.string(), *s.storeLog, *s.coreLog, &s.storeSettings);
    } catch (const ConfigLoadError& e) {
        s.storeLog->release();
        printError(e.what());
        return nullptr;
    }
    sdk::SnapshotPtr snap = s.store->snapshot();
    LogSink::instance().setDebug(snap->getBool("debug", false));
    applyLogFormat(*snap);  // before the first line, so `log-format: json` covers every line
    s.coreLog->info("cpa-server " + build.version + " (commit " + build.commit + ") starting with config " +
                    configPath.string());
    s.storeLog->release();
    s.debugSubscription = s.store->subscribe([](const sdk::SnapshotPtr& next) {
        LogSink::instance().setDebug(next->getBool("debug", false));
        applyLogFormat(*next);
    });
    return snap;
}

// 2. Listener settings and directories.
std::vector<std::string> ServerApp::resolveDirectories(const sdk::ConfigSnapshot& snap, const fs::path& configPath,
                                                       const std::string& cwd) {
    State& s = *state_;
    const OpenFileLimit files = raiseOpenFileLimit();
    if (files.after != files.before)
        s.coreLog->info("open-file limit raised from " + std::to_string(files.before) + " to " +
                        std::to_string(files.after) + " (the hard limit)");
    s.serverOptions = readServerOptions(snap, defaultMaxThreads(files.after));
    if (files.after > 0 && static_cast<std::uint64_t>(s.serverOptions.maxThreads) * 2 > files.after)
        s.coreLog->warning("http-server.max-threads " + std::to_string(s.serverOptions.maxThreads) +
                           " needs up to twice as many open files (a proxied stream holds two); the limit is " +
                           std::to_string(files.after));
    const PathInputs pathInputs{configPath, options_.modulesDir, cwd, binaryDir_, homeDir()};
    s.paths = resolvePaths(snap, pathInputs);
    const std::string sharedSource = s.store->sharedSource();
    if (!sharedSource.empty()) s.paths.configFile.clear();  // the document is not a local file
    std::vector<std::string> moduleDirs = modulesDirs(snap, pathInputs);
    std::string moduleDirsText;
    for (const std::string& d : moduleDirs) moduleDirsText += (moduleDirsText.empty() ? "" : ", ") + d;
    s.coreLog->info("config " + (sharedSource.empty() ? s.paths.configFile : sharedSource) + "; auth dir " + s.paths.authDir + "; log dir " +
                    s.paths.logDir + "; data dir " + s.paths.dataDir + "; modules dirs " + moduleDirsText);
    return moduleDirs;
}

// 3. Modules: load → configure all; 4. routes, frozen before any request
// thread exists; then start.
bool ServerApp::startModules(const sdk::ConfigSnapshot& snap, const std::vector<std::string>& moduleDirs,
                             AccessGuards& guards) {
    State& s = *state_;
    const sdk::BuildInfo& build = buildInfo();
    s.host = std::make_unique<ModuleHost>(s.coreLog);
    // Lets the logs module route application log lines to main.log.
    provideLogWriterService(s.services);
    // Where modules contribute upstream credentials and the data plane reads them.
    s.services.provide(sdk::kCredentialSourcesService, sdk::makeCredentialSources());
    // Modules that keep shared state (usage) find the database here.
    if (auto shared = makeSharedStoreService(s.storeSettings)) s.services.provide(sdk::kSharedStoreService, shared);
    // Built before the modules so `cpa.ManagementAccess/1` can lend the management guard.
    guards = makeAccessGuards(GuardInputs{*s.store, build, s.coreLog});
    s.gauges = provideObservabilityServices(s.services, s.store, guards.management);
    try {
        s.host->load(std::vector<fs::path>(moduleDirs.begin(), moduleDirs.end()), enabledModules(snap));
        s.coreLog->info("loaded modules: " + joinNames(s.host->infos()));
        s.host->configureAll([&s, &build](const ModuleInfo& info) -> std::unique_ptr<sdk::ModuleContext> {
            return std::make_unique<ModuleContextImpl>(*s.store, s.services, s.events, s.paths, build, info.name);
        });
        // Every module has declared its config keys: check them, report unknown ones.
        s.store->applyDeclarations();

        s.router = std::make_shared<Router>();
        registerBuiltinRoutes(*s.router);
        s.host->registerRoutes(*s.router);
        s.router->freeze();
        s.host->startAll();
    } catch (const PluginError& e) {
        failStartup(e.what());
        return false;
    } catch (const ConfigLoadError& e) {
        failStartup(e.what());
        return false;
    }
    return true;
}

// 5. The HTTP server.
bool ServerApp::startServer(AccessGuards guards) {
    State& s = *state_;
    const std::string address = listenAddressText(s.serverOptions.host, static_cast<unsigned>(s.serverOptions.port));
    try {
        s.server = std::make_unique<HttpServer>(s.serverOptions, s.router, std::move(guards),
                                                makeLogger("cpa.access"), s.coreLog);
    } catch (const std::exception& e) {
        failStartup(e.what());  // e.g. an invalid trusted-proxies entry
        return false;
    }
    s.server->setRequestObserver(s.services.get(sdk::kRequestObserverService));
    s.gauges->attach(s.server.get());
    try {
        s.server->start();
    } catch (const Poco::Exception& e) {
        failListen(address, listenFailure(e.code(), e.message()));
        return false;
    } catch (const std::system_error& e) {
        failListen(address, listenFailure(e.code().value(), e.what()));
        return false;
    } catch (const std::exception& e) {
        failListen(address, e.what());
        return false;
    }
    s.port = s.server->port();
    return true;
}

// 6. External edits of the config file.
void ServerApp::watchConfig() {
    State& s = *state_;
    try {
        s.store->startWatching();
        s.watching = true;
    } catch (const std::exception& e) {
        // Serving without hot reload beats not serving; SIGHUP still reloads.
        s.coreLog->warning(std::string("config file watcher not started: ") + e.what());
    }
}

// 7. What the operator must know, then the web panel in the background.
void ServerApp::announce() {
    State& s = *state_;
    for (const StartupNotice& n : startupNotices(*s.store->snapshot(), s.paths.configFile, managementPasswordSet())) {
        s.coreLog->log(n.level, n.text);
    }
    s.panelUpdater = std::make_unique<panel::PanelUpdater>(s.store, s.paths.configDir, makeLogger("cpa.panel"),
                                                           managementPasswordSet());
    s.panelUpdater->start();
}

void ServerApp::reloadConfig() noexcept {
    try {
        if (!state_->store) return;
        const bool changed = state_->store->reloadFromDisk();
        state_->coreLog->info(changed ? "config reloaded" : "config unchanged");
    } catch (const std::exception& e) {
        state_->coreLog->error(std::string("config reload failed: ") + e.what());
    } catch (...) {
    }
}

// The exact reverse of start-up (architecture.md §4); every step runs even when
// an earlier one had nothing to do, so a failed start-up cleans up through here.
void ServerApp::shutdown() noexcept {
    State& s = *state_;
    try {
        if (s.panelUpdater) {
            s.panelUpdater->stop();
            s.panelUpdater.reset();
        }
        if (s.watching) {
            s.coreLog->info("stopping config watcher");
            s.store->stopWatching();
            s.watching = false;
        }
        if (s.server) {
            s.coreLog->info("stopping HTTP server (drain up to " +
                            std::to_string(s.serverOptions.shutdownDrainSeconds) + " s)");
            s.server->stop(std::chrono::seconds(s.serverOptions.shutdownDrainSeconds));
            if (s.gauges) s.gauges->attach(nullptr);
            s.coreLog->info("destroying HTTP server");
            s.server.reset();
        }
        if (s.router) {
            // Route handlers and middleware are module code: gone before the modules.
            s.coreLog->info("clearing routes");
            s.router.reset();
        }
        if (s.host) {
            s.coreLog->info("stopping modules");
            s.host->stopAll();  // only those started
            s.coreLog->info("clearing services");
            s.services.clear();
            s.events.clear();
            s.coreLog->info("destroying modules");
            s.host->destroyAll();
            // A module may have installed a log writer living in its library.
            LogSink::instance().setWriter({});
            // Validators and subscribers registered by modules are module code too.
            if (s.store) s.store->releaseCallbacks();
            s.coreLog->info("unloading modules");
            s.host->unloadAll();
            s.host.reset();
        }
        if (s.debugSubscription) {
            s.debugSubscription.reset();
            s.coreLog->info("shutdown complete");
        }
    } catch (...) {
        // Logging failed (out of memory); the remaining steps are best effort.
    }
}

namespace {

/// `cpa-server store import --config F`: 0 on success, 1 with a message.
int runStoreImport(const std::string& path) {
    const auto log = makeLogger("cpa.core");
    try {
        const std::uint64_t version = importIntoSharedStore(path, *log);
        writeStdout("imported " + path + " as configuration version " + std::to_string(version) + "\n");
        return 0;
    } catch (const ConfigLoadError& e) {
        printError(e.what());
    } catch (const std::exception& e) {
        printError(std::string("store import failed: ") + e.what());
    }
    return 1;
}

}  // namespace

int serverMain(const std::vector<std::string>& args) {
    CliError error;
    const std::optional<CliOptions> options = parseCli(args, error);
    if (!options) {
        printError(error.message);
        writeStderr(std::string("Try '") + kProgram + " --help' for usage.\n");
        return 2;
    }
    if (options->action == CliOptions::Action::Help) {
        writeStdout(usageText(kProgram));
        return 0;
    }
    if (options->action == CliOptions::Action::Version) {
        writeStdout(versionText());
        return 0;
    }
    if (options->action == CliOptions::Action::CheckConfig) return checkConfig(*options, executableDir());
    if (options->action == CliOptions::Action::PanelFetch) return panelFetchCommand(*options);
    if (options->action == CliOptions::Action::StoreImport) return runStoreImport(*options->configPath);

    ServerApp app(*options, executableDir());
    if (const int rc = app.start(); rc != 0) return rc;
    const auto log = makeLogger("cpa.core");
    for (;;) {
        const int sig = waitForShutdownSignal();
        if (sig == SIGHUP) {
            log->info("received SIGHUP, re-reading the config file");
            app.reloadConfig();
            continue;
        }
        log->info(std::string("received ") + signalName(sig) + ", shutting down");
        break;
    }
    app.shutdown();
    return 0;
}

}  // namespace cpa::core
