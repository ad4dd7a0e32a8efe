#pragma once
#include <cpa/sdk/module.hpp>

namespace cpa::config {

/// GET /config, GET/PUT /config.yaml, GET /latest-version, the scalar
/// settings and GET /management.html. Stateless beyond the borrowed context:
/// every handler reads the current snapshot.
class ConfigModule : public sdk::Module {
public:
    void configure(sdk::ModuleContext& context) override;
    void registerRoutes(sdk::RouteRegistry& routes) override;

private:
    sdk::ModuleContext* context_ = nullptr;
};

/// The module's own checks on a candidate document (keys only it reads).
/// Throws std::invalid_argument.
void validateConfigKeys(const sdk::Value& root);

}  // namespace cpa::config
