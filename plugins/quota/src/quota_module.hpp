#pragma once
#include <cpa/sdk/module.hpp>

#include <string>

namespace cpa::quota {

/// Serves GET/PUT/PATCH /v0/management/quota-exceeded/{switch-project,switch-preview-model}:
/// `{"<name>": bool}` on GET, `{"value": bool}` to set, persisted at
/// `quota-exceeded.<name>` (absent = false).
class QuotaModule : public sdk::Module {
public:
    void configure(sdk::ModuleContext& context) override;
    void registerRoutes(sdk::RouteRegistry& routes) override;

private:
    void registerToggle(sdk::RouteRegistry& routes, const std::string& name);

    sdk::ModuleContext* context_ = nullptr;
};

}  // namespace cpa::quota
