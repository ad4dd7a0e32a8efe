#include "quota_module.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>

namespace cpa::quota {

namespace {
constexpr const char* kBlock = "quota-exceeded";
}

void QuotaModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
    context.config().addValidator("quota", [](const sdk::Value& root) {
        const sdk::Value* block = root.find(kBlock);
        if (!block || block->isNull()) return;
        if (!block->isObject()) throw std::invalid_argument("quota-exceeded must be a mapping");
        for (const char* key : {"switch-project", "switch-preview-model", "antigravity-credits"}) {
            const sdk::Value* v = block->find(key);
            if (v && !v->isNull() && !v->isBool()) {
                throw std::invalid_argument(std::string("quota-exceeded.") + key + " must be true or false");
            }
        }
    });
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
