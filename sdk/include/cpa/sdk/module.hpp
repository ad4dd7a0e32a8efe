#pragma once
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/services.hpp>

#include <string>
#include <string_view>

namespace cpa::sdk {

enum class LogLevel { Debug, Info, Warning, Error };

class CPA_SDK_API Logger {
public:
    virtual ~Logger();
    virtual void log(LogLevel level, std::string_view message) = 0;
    void debug(std::string_view m) { log(LogLevel::Debug, m); }
    void info(std::string_view m) { log(LogLevel::Info, m); }
    void warning(std::string_view m) { log(LogLevel::Warning, m); }
    void error(std::string_view m) { log(LogLevel::Error, m); }
};

/// Directories resolved by the core at start-up (absolute paths).
struct Paths {
    std::string configFile;
    std::string configDir;
    std::string authDir;
    std::string logDir;
    std::string dataDir;
    std::string modulesDir;
};

struct BuildInfo {
    std::string version;
    std::string commit;
    std::string buildDate;
};

/// What the core lends a module. Valid from configure() until after stop().
class CPA_SDK_API ModuleContext {
public:
    virtual ~ModuleContext();
    virtual ConfigStore& config() = 0;
    virtual Logger& logger() = 0;  ///< named "cpa.module.<name>"
    virtual Services& services() = 0;
    virtual Events& events() = 0;
    virtual const Paths& paths() const = 0;
    virtual const BuildInfo& build() const = 0;
};

/// A loadable unit. Lifecycle: configure → registerRoutes → start … stop.
/// configure() may throw (std::exception) to refuse start-up with a message.
class CPA_SDK_API Module {
public:
    virtual ~Module();
    virtual void configure(ModuleContext& context) = 0;
    virtual void registerRoutes(RouteRegistry& routes) = 0;
    virtual void start() {}
    virtual void stop() noexcept {}
};

}  // namespace cpa::sdk
