#include "runtime/module_context.hpp"

#include "runtime/logger.hpp"

#include <stdexcept>
#include <utility>

namespace cpa::core {

std::string moduleLoggerName(const std::string& moduleName) { return "cpa.module." + moduleName; }

ModuleContextImpl::ModuleContextImpl(sdk::ConfigStore& config, sdk::Services& services, sdk::Events& events,
                                     const sdk::Paths& paths, const sdk::BuildInfo& build,
                                     std::shared_ptr<sdk::Logger> logger)
    : config_(config), services_(services), events_(events), paths_(paths), build_(build),
      logger_(std::move(logger)) {
    if (!logger_) throw std::invalid_argument("module context needs a logger");
}

ModuleContextImpl::ModuleContextImpl(sdk::ConfigStore& config, sdk::Services& services, sdk::Events& events,
                                     const sdk::Paths& paths, const sdk::BuildInfo& build,
                                     const std::string& moduleName)
    : ModuleContextImpl(config, services, events, paths, build, makeLogger(moduleLoggerName(moduleName))) {}

ModuleContextImpl::~ModuleContextImpl() = default;

}  // namespace cpa::core
