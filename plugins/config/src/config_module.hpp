#pragma once
#include "config_view_cache.hpp"

#include <cpa/sdk/module.hpp>

#include <memory>

namespace cpa::config {

/// GET /config, GET/PUT /config.yaml, GET /latest-version, the scalar
/// settings and GET /management.html. Every handler reads the current
/// snapshot; GET /config's body is kept per snapshot (ConfigViewCache).
class ConfigModule : public sdk::Module {
public:
    void configure(sdk::ModuleContext& context) override;
    void registerRoutes(sdk::RouteRegistry& routes) override;

private:
    sdk::ModuleContext* context_ = nullptr;
    std::shared_ptr<ConfigViewCache> viewCache_ = std::make_shared<ConfigViewCache>();
};

/// The module's own checks on a candidate document (keys only it reads).
/// Throws std::invalid_argument.
void validateConfigKeys(const sdk::Value& root);

}  // namespace cpa::config
