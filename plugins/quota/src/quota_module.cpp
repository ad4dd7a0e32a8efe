#include "quota_module.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>

namespace cpa::quota {

namespace {
constexpr const char* kBlock = "quota-exceeded";
}

void QuotaModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
    using T = sdk::ConfigType;
    const std::string block = kBlock;
    context.config().declare({"quota",
                              {{block, T::Mapping},
                               {block + ".switch-project", T::Bool},
                               {block + ".switch-preview-model", T::Bool},
                               {block + ".antigravity-credits", T::Bool}},
                              {}});
}

void QuotaModule::registerRoutes(sdk::RouteRegistry& routes) {
    registerToggle(routes, "switch-project");
    registerToggle(routes, "switch-preview-model");
}

void QuotaModule::registerToggle(sdk::RouteRegistry& routes, const std::string& name) {
    const std::string path = std::string(sdk::kManagementBase) + "/" + kBlock + "/" + name;
    sdk::ModuleContext* ctx = context_;

    routes.route(sdk::Method::Get, path, sdk::Access::Management, [ctx, name](sdk::Request&, sdk::Response& res) {
        const bool value = ctx->config().snapshot()->getBool(std::string(kBlock) + "." + name, false);
        res.json(200, sdk::Value::object({{name, value}}));
    });

    auto set = [ctx, name](sdk::Request& req, sdk::Response& res) {
        const std::optional<bool> value = sdk::boundBoolValue(req.body());
        if (!value) throw sdk::HttpError(400, "invalid body");
        ctx->config().update([&](sdk::Value& root) {
            sdk::Value& block = root[kBlock];
            if (!block.isObject()) block = sdk::Value::object();
            block.set(name, *value);
        });
        ctx->logger().info("quota-exceeded." + name + " set to " + (*value ? "true" : "false"));
        res.json(200, sdk::Value::object({{"status", "ok"}}));
    };
    routes.route(sdk::Method::Put, path, sdk::Access::Management, set);
    routes.route(sdk::Method::Patch, path, sdk::Access::Management, set);
}

}  // namespace cpa::quota
