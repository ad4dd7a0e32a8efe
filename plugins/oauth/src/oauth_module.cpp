#include "oauth_module.hpp"

#include "api_call_route.hpp"
#include "auth_file_models_route.hpp"
#include "auth_files_routes.hpp"
#include "credential_contribution.hpp"
#include "tokens/runtime_overlay.hpp"

#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/credentials.hpp>
#include <cpa/sdk/shared_store.hpp>

namespace cpa::oauth {

OAuthModule::~OAuthModule() { stop(); }

void OAuthModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
    using T = sdk::ConfigType;
    // The login flows' endpoints (docs/compat/oauth-login.md) and the token refresh bound.
    context.config().declare({"oauth",
                              {{"oauth-login", T::Any},
                               {"oauth-login.refresh-timeout-ms", T::Int, 1, 3'600'000}},
                              {}});
    const std::string dir = context.paths().authDir;
    if (dir.empty()) throw std::runtime_error("oauth: auth directory not configured");
    store_ = std::make_shared<FileCredentialStore>(dir, context.logger());
    store_->load();
    // Several instances on one database: the auth files are shared (before anything reads them).
    if (auto shared = context.services().get(sdk::kSharedStoreService)) {
        sharedSync_ = std::make_unique<SharedAuthSync>(store_, shared->connectionString(), shared->describe(),
                                                       shared->instance(), context.logger());
        sharedSync_->initialSync();
    }
    context.services().provide(sdk::kCredentialStoreService, store_);
    tokens_ = std::make_shared<TokenService>(store_, context.config(), context.logger());
    if (sharedSync_) {
        // One instance refreshes a token; the others find it refreshed.
        SharedAuthSync* sync = sharedSync_.get();
        tokens_->setCrossInstanceGuard([sync](const std::string& id, std::chrono::milliseconds wait,
                                              const std::function<sdk::TokenGrant()>& decide) {
            sdk::TokenGrant grant;
            sync->exclusive(id, wait, [&] { grant = decide(); });
            return grant;
        });
    }
    context.services().provide(sdk::kTokenSourceService, tokens_);
    const std::int64_t workers = context.config().snapshot()->getInt("auth-auto-refresh-workers", 0);
    scheduler_ = std::make_unique<RefreshScheduler>(store_, tokens_, context.logger(),
                                                    workers > 0 ? static_cast<std::size_t>(workers) : 16);
    // Every change of the file set (saves, deletes, the watcher) replaces the contribution.
    if (auto sources = context.services().get(sdk::kCredentialSourcesService)) {
        std::weak_ptr<FileCredentialStore> weak = store_;
        sdk::ConfigStore* config = &context.config();
        const auto contribute = [sources, weak, config] {
            const sdk::SnapshotPtr snap = config->snapshot();
            if (auto store = weak.lock())
                sources->publish(kCredentialSource, fileContributions(store->records(), snap.get()));
        };
        contribute();
        storeSubscription_ = store_->subscribe([contribute]() noexcept {
            try {
                contribute();
            } catch (...) {
                // The previous contribution stays until the next change.
            }
        });
        // oauth-excluded-models and oauth-model-alias edits change the contribution (oauth-executors.md §1.6).
        const auto watched = [](const sdk::ConfigSnapshot* snap) {
            sdk::Value out = sdk::Value::object();
            for (const char* key : {"oauth-excluded-models", "oauth-model-alias"})
                if (const sdk::Value* v = snap ? snap->find(key) : nullptr) out.set(key, *v);
            return out;
        };
        auto last = std::make_shared<sdk::Value>(watched(config->snapshot().get()));
        configSubscription_ = config->subscribe([contribute, last, watched](const sdk::SnapshotPtr& snap) {
            const sdk::Value now = watched(snap.get());
            if (now == *last) return;
            *last = now;
            try {
                contribute();
            } catch (...) {
            }
        });
    }
    context.logger().info("auth dir " + dir + ": " + std::to_string(store_->records().size()) + " credential file(s)");
}

void OAuthModule::registerRoutes(sdk::RouteRegistry& routes) {
    registerAuthFileRoutes(routes, store_, runtimeOverlay(tokens_, context_->services()));
    registerAuthFileModelsRoute(routes, store_, context_->services());
    registerAuthPatchRoutes(routes, store_);
    registerVertexImportRoute(routes, store_);
    registerApiCallRoute(routes, *context_, store_, tokens_);
    login_ = registerLoginFlows(*context_, routes, store_);
}

void OAuthModule::start() {
    if (sharedSync_) sharedSync_->start();
    try {
        store_->startWatching();
    } catch (const std::exception& e) {
        // Without the watcher files dropped in by hand appear only after a restart.
        context_->logger().warning(std::string("auth dir watcher not started: ") + e.what());
    }
    if (scheduler_) scheduler_->start();
}

void OAuthModule::stop() noexcept {
    if (scheduler_) scheduler_->stop();
    if (login_) {
        try {
            login_->stop();
        } catch (...) {
        }
    }
    if (sharedSync_) sharedSync_->stop();
    if (store_) store_->stopWatching();
    storeSubscription_.reset();
    configSubscription_.reset();
}

}  // namespace cpa::oauth
