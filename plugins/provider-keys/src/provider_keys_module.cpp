#include "provider_keys_module.hpp"

#include "api_keys.hpp"
#include "config_credentials.hpp"
#include "key_families.hpp"
#include "oauth_maps.hpp"

#include <cpa/sdk/credential_sources.hpp>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <utility>

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
    // The live credential set follows every publication (writes and reloads):
    // usage counting and the contribution the data plane routes.
    std::shared_ptr<KeyUsage> usage = usage_;
    std::shared_ptr<sdk::CredentialSources> sources = context.services().get(sdk::kCredentialSourcesService);
    if (!sources) throw std::runtime_error("provider-keys: no credential sources service");
    sdk::Logger* log = &context.logger();
    // Publications may be notified on two threads at once: an older snapshot
    // never replaces the contribution of a newer one.
    struct Applied {
        std::mutex mutex;
        std::uint64_t generation = 0;
        std::vector<std::string> dropped;  // warned already: each publication warns only what is new
    };
    auto applied = std::make_shared<Applied>();
    const auto refresh = [usage, sources, log, applied](const sdk::SnapshotPtr& snap) noexcept {
        try {
            std::lock_guard lock(applied->mutex);
            if (snap->generation() < applied->generation) return;
            applied->generation = snap->generation();
            std::vector<std::string> dropped = droppedConfigEntries(snap->root());
            for (const std::string& d : dropped) {
                if (std::find(applied->dropped.begin(), applied->dropped.end(), d) == applied->dropped.end())
                    log->warning("provider entry " + d);
            }
            applied->dropped = std::move(dropped);
            usage->refresh(snap->root());
            sources->publish(kCredentialSource, contributedCredentials(snap->root()));
        } catch (const std::exception& e) {
            // The previous set stays; the next publication tries again.
            log->error(std::string("provider-keys: credentials not refreshed: ") + e.what());
        }
    };
    refresh(context.config().snapshot());
    configSubscription_ = context.config().subscribe(refresh);
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
