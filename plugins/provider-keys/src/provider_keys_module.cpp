#include "provider_keys_module.hpp"

#include "api_keys.hpp"
#include "key_families.hpp"
#include "oauth_maps.hpp"

#include <ctime>

namespace cpa::provider_keys {

void ProviderKeysModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
    // The key lists declare themselves (KeyListResource); the OAuth channel maps:
    context.config().declare({"provider-keys",
                              {{"oauth-excluded-models", sdk::ConfigType::Any},
                               {"oauth-model-alias", sdk::ConfigType::Any}},
                              {}});
    for (auto spec : {geminiSpec(), claudeSpec(), codexSpec(), vertexSpec(), openAICompatSpec()}) {
        families_.push_back(std::make_unique<sdk::KeyListResource>(context.config(), std::move(spec)));
    }
    // The live credential set follows every publication (writes and reloads).
    std::shared_ptr<KeyUsage> usage = usage_;
    usage->refresh(context.config().snapshot()->root());
    configSubscription_ = context.config().subscribe(
        [usage](const sdk::SnapshotPtr& snap) noexcept {
            try {
                usage->refresh(snap->root());
            } catch (...) {
                // A failed refresh keeps the previous set; counting resumes with the next publication.
            }
        });
    usageSubscription_ = context.events().subscribe(
        "usage.record", [usage](const sdk::Value& record) { usage->record(record, std::time(nullptr)); });
}

void ProviderKeysModule::registerRoutes(sdk::RouteRegistry& routes) {
    sdk::ModuleContext* ctx = context_;
    registerApiKeys(routes, ctx->config());
    for (const auto& family : families_) family->registerRoutes(routes);
    registerOAuthMaps(routes, ctx->config());
    std::shared_ptr<KeyUsage> usage = usage_;
    routes.route(sdk::Method::Get, std::string(sdk::kManagementBase) + "/api-key-usage", sdk::Access::Management,
                 [ctx, usage](sdk::Request&, sdk::Response& res) {
                     res.json(200, usage->snapshot(ctx->config().snapshot()->root(), std::time(nullptr)));
                 });
}

void ProviderKeysModule::stop() noexcept {
    usageSubscription_.reset();
    configSubscription_.reset();
}

}  // namespace cpa::provider_keys
