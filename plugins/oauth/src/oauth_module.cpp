#include "oauth_module.hpp"

#include "api_call_route.hpp"
#include "auth_file_models_route.hpp"
#include "auth_files_routes.hpp"
#include "credential_contribution.hpp"

#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/credentials.hpp>
#include <cpa/sdk/shared_store.hpp>

namespace cpa::oauth {

OAuthModule::~OAuthModule() { stop(); }

void OAuthModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
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
    // Every change of the file set (saves, deletes, the watcher) replaces the contribution.
    if (auto sources = context.services().get(sdk::kCredentialSourcesService)) {
        std::weak_ptr<FileCredentialStore> weak = store_;
        const auto contribute = [sources, weak] {
            if (auto store = weak.lock()) sources->publish(kCredentialSource, fileContributions(store->records()));
        };
        contribute();
        storeSubscription_ = store_->subscribe([contribute]() noexcept {
            try {
                contribute();
            } catch (...) {
                // The previous contribution stays until the next change.
            }
        });
    }
    context.logger().info("auth dir " + dir + ": " + std::to_string(store_->records().size()) + " credential file(s)");
}

void OAuthModule::registerRoutes(sdk::RouteRegistry& routes) {
    registerAuthFileRoutes(routes, store_);
    registerAuthFileModelsRoute(routes, store_, context_->services());
    registerAuthPatchRoutes(routes, store_);
    registerVertexImportRoute(routes, store_);
    registerApiCallRoute(routes, *context_, store_);
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
}

void OAuthModule::stop() noexcept {
    if (login_) {
        try {
            login_->stop();
        } catch (...) {
        }
    }
    if (sharedSync_) sharedSync_->stop();
    if (store_) store_->stopWatching();
    storeSubscription_.reset();
}

}  // namespace cpa::oauth
