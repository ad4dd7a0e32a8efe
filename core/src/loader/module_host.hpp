#pragma once
// Runs the modules of a directory through their lifecycle. The app drives
// the order of architecture.md §4:
//   load → configureAll → registerRoutes → (freeze router) → startAll → (server)
//   … (server stopped, router cleared) → stopAll → (services cleared, log
//   writer reset) → destroyAll → unloadAll.
// Anything a module handed out (route handlers, services, event listeners, a
// log writer) has code in its library: the app drops it before unloadAll.
#include "loader/plugin_loader.hpp"

#include <cpa/sdk/http.hpp>
#include <cpa/sdk/module.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cpa::core {

struct ModuleInfo {
    std::string name;
    std::string version;
    std::string file;
};

class ModuleHost {
public:
    /// Builds the context lent to one module; it must stay valid until the
    /// module is destroyed (the host owns it and frees it after destroyAll).
    using ContextFactory = std::function<std::unique_ptr<sdk::ModuleContext>(const ModuleInfo&)>;

    /// `logger` receives the host's own lines (default "cpa.core").
    explicit ModuleHost(std::shared_ptr<sdk::Logger> logger = nullptr,
                        PluginLoader::Expectations expected = PluginLoader::coreExpectations());
    /// Stops, destroys and unloads whatever is still there.
    ~ModuleHost();

    /// Loads every plugin among the `*.so` files of the modules directories
    /// (directory by directory, each by file name order) and creates the
    /// modules named in `enabled` (all when nullopt). The same module name in
    /// two files — in one directory or in two — is refused naming both files.
    /// Every plugin file is checked (ABI, build key, unique name) even when
    /// not enabled: a module's name can only be trusted after the check.
    /// Non-enabled plugins are unloaded again without creating anything.
    /// `.so` files that are ELF objects without a cpa descriptor are skipped
    /// with a warning. Throws PluginError (nothing stays loaded then).
    void load(const std::vector<std::filesystem::path>& modulesDirs,
              const std::optional<std::vector<std::string>>& enabled = std::nullopt);
    void load(const std::filesystem::path& modulesDir,
              const std::optional<std::vector<std::string>>& enabled = std::nullopt) {
        load(std::vector<std::filesystem::path>{modulesDir}, enabled);
    }

    /// Configures every module; collects all failures and then throws one
    /// PluginError listing each (module name and file).
    void configureAll(const ContextFactory& contextFactory);
    /// PluginError naming the module on the first failure.
    void registerRoutes(sdk::RouteRegistry& routes);
    /// Starts in load order; on a failure stops those already started
    /// (reverse) and throws PluginError.
    void startAll();
    /// Reverse order, started modules only; failures are logged.
    void stopAll() noexcept;
    /// Destroys the modules (reverse), then their contexts.
    void destroyAll() noexcept;
    /// Unloads the libraries (reverse). Last step of shutdown.
    void unloadAll() noexcept;

    /// The created (enabled) modules in lifecycle order.
    std::vector<ModuleInfo> infos() const;
    std::size_t size() const noexcept { return modules_.size(); }

    ModuleHost(const ModuleHost&) = delete;
    ModuleHost& operator=(const ModuleHost&) = delete;

private:
    struct Entry {
        const LoadedPlugin* plugin;
        sdk::Module* module;
        std::unique_ptr<sdk::ModuleContext> context;
        bool started = false;
    };
    static std::string describe(const Entry& e);
    ModuleInfo infoOf(const LoadedPlugin& p) const;
    void createModules(const std::optional<std::vector<std::string>>& enabled,
                       const std::vector<std::filesystem::path>& modulesDirs);

    std::shared_ptr<sdk::Logger> logger_;
    PluginLoader loader_;
    std::vector<Entry> modules_;
    bool loaded_ = false;
};

}  // namespace cpa::core
