#include "config_module.hpp"

#include "ampcode_routes.hpp"
#include "config_view.hpp"
#include "config_yaml_routes.hpp"
#include "control_panel.hpp"
#include "declared_keys.hpp"
#include "latest_version.hpp"
#include "scalar_settings.hpp"
#include "text_util.hpp"

#include <cpa/sdk/text.hpp>

#include <stdexcept>

namespace cpa::config {
namespace {

std::string route(std::string_view suffix) { return std::string(sdk::kManagementBase) + std::string(suffix); }

}  // namespace

void validateConfigKeys(const sdk::Value& root) {
    if (const sdk::Value* url = root.find(kReleaseUrlKey); url && !url->isNull() && !url->isString()) {
        throw std::invalid_argument(std::string(kReleaseUrlKey) + " must be a string");
    }
    // The original refuses anything but false/true/"chat" and their spellings.
    if (const sdk::Value* v = root.find("disable-image-generation"); v && !v->isNull() && !v->isBool()) {
        const std::string s = sdk::lowerAscii(sdk::trimAscii(scalarText(v, "?")));
        static constexpr const char* kAccepted[] = {"", "false", "0", "off", "no", "true", "1", "on", "yes", "chat"};
        bool ok = v->isString() || v->isInt();
        if (ok) {
            ok = false;
            for (const char* a : kAccepted) ok = ok || s == a;
        }
        if (!ok) throw std::invalid_argument("disable-image-generation: expected false, true or \"chat\"");
    }
}

void ConfigModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
    context.config().declare(configDeclaration(context));
}

void ConfigModule::registerRoutes(sdk::RouteRegistry& routes) {
    sdk::ModuleContext* ctx = context_;
    routes.route(sdk::Method::Get, route("/config"), sdk::Access::Management,
                 [ctx, cache = viewCache_](sdk::Request&, sdk::Response& res) {
                     res.setStatus(200);
                     res.setBody(*cache->body(ctx->config().snapshot()), "application/json; charset=utf-8");
                 });

    routes.route(sdk::Method::Get, route("/latest-version"), sdk::Access::Management,
                 [ctx](sdk::Request&, sdk::Response& res) {
                     const sdk::SnapshotPtr snap = ctx->config().snapshot();
                     ReleaseQuery query;
                     query.url = sdk::trimAscii(snap->getString(kReleaseUrlKey, ""));
                     if (query.url.empty()) query.url = std::string(kDefaultReleaseUrl);
                     query.proxyUrl = snap->getString("proxy-url", "");
                     const ReleaseOutcome outcome = fetchLatestVersion(query, &ctx->logger());
                     if (outcome.status != 200) {
                         ctx->logger().warning("latest-version: " + scalarText(outcome.body.find("message")));
                     }
                     res.json(outcome.status, outcome.body);
                 });

    registerConfigYamlRoutes(routes, *ctx);
    registerScalarSettings(routes, *ctx);
    registerAmpcodeRoutes(routes, *ctx);
    registerControlPanel(routes, *ctx);
}

}  // namespace cpa::config
