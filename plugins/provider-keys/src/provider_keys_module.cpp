#include "provider_keys_module.hpp"

#include "api_keys.hpp"
#include "config_credentials.hpp"
#include "key_families.hpp"
#include "oauth_maps.hpp"

#include <cpa/sdk/credential_sources.hpp>

#include <ctime>
#include <stdexcept>

namespace cpa::provider_keys {

void ProviderKeysModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
    for (auto spec : {geminiSpec(), claudeSpec(), codexSpec(), vertexSpec(), openAICompatSpec()}) {
        families_.push_back(std::make_unique<sdk::KeyListResource>(context.config(), std::move(spec)));
    }
    // The live credential set follows every publication (writes and reloads):
    // usage counting and the contribution the data plane routes.
    std::shared_ptr<KeyUsage> usage = usage_;
    std::shared_ptr<sdk::CredentialSources> sources = context.services().get(sdk::kCredentialSourcesService);
    if (!sources) throw std::runtime_error("provider-keys: no credential sources service");
    sdk::Logger* log = &context.logger();
    const auto refresh = [usage, sources, log](const sdk::Value& root) noexcept {
        try {
            usage->refresh(root);
            sources->publish(kCredentialSource, contributedCredentials(root));
        } catch (const std::exception& e) {
            // The previous set stays; the next publication tries again.
            log->error(std::string("provider-keys: credentials not refreshed: ") + e.what());
        }
    };
    refresh(context.config().snapshot()->root());
    configSubscription_ = context.config().subscribe([refresh](const sdk::SnapshotPtr& snap) { refresh(snap->root()); });
    usageSubscription_ = context.events().subscribe(
        std::string(sdk::kTopicUsageRecord), [usage](const sdk::Value& record) { usage->record(record, std::time(nullptr)); });
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
