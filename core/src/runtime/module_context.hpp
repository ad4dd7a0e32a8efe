#pragma once
// What the core lends one module (sdk::ModuleContext): shared services by
// reference plus the module's own logger "cpa.module.<name>".
#include <cpa/sdk/module.hpp>

#include <memory>
#include <string>

namespace cpa::core {

/// Holds references only: the app keeps the config store, services, events,
/// paths and build info alive until every module is destroyed.
class ModuleContextImpl final : public sdk::ModuleContext {
public:
    ModuleContextImpl(sdk::ConfigStore& config, sdk::Services& services, sdk::Events& events,
                      const sdk::Paths& paths, const sdk::BuildInfo& build, std::shared_ptr<sdk::Logger> logger);
    /// The same with a new logger named "cpa.module.<moduleName>".
    ModuleContextImpl(sdk::ConfigStore& config, sdk::Services& services, sdk::Events& events,
                      const sdk::Paths& paths, const sdk::BuildInfo& build, const std::string& moduleName);
    ~ModuleContextImpl() override;

    sdk::ConfigStore& config() override { return config_; }
    sdk::Logger& logger() override { return *logger_; }
    sdk::Services& services() override { return services_; }
    sdk::Events& events() override { return events_; }
    const sdk::Paths& paths() const override { return paths_; }
    const sdk::BuildInfo& build() const override { return build_; }

private:
    sdk::ConfigStore& config_;
    sdk::Services& services_;
    sdk::Events& events_;
    const sdk::Paths& paths_;
    const sdk::BuildInfo& build_;
    std::shared_ptr<sdk::Logger> logger_;
};

/// "cpa.module.<name>".
std::string moduleLoggerName(const std::string& moduleName);

}  // namespace cpa::core
