#pragma once
#include "file_credential_store.hpp"
#include "login/login_flows.hpp"
#include "tokens/refresh_scheduler.hpp"
#include "tokens/token_service.hpp"
#include "shared_auth_sync.hpp"

#include <cpa/sdk/module.hpp>

#include <memory>

namespace cpa::oauth {

/// The credential store service (cpa.CredentialStore/1), the auth files'
/// contribution to cpa.CredentialSources/1, the auth-file management
/// endpoints, /api-call and (through login/) the OAuth login flows.
class OAuthModule : public sdk::Module {
public:
    ~OAuthModule() override;
    void configure(sdk::ModuleContext& context) override;
    void registerRoutes(sdk::RouteRegistry& routes) override;
    void start() override;
    void stop() noexcept override;

    std::shared_ptr<FileCredentialStore> store() const { return store_; }
    std::shared_ptr<TokenService> tokens() const { return tokens_; }
    RefreshScheduler* refreshScheduler() const { return scheduler_.get(); }

private:
    sdk::ModuleContext* context_ = nullptr;
    std::shared_ptr<FileCredentialStore> store_;
    std::shared_ptr<TokenService> tokens_;  ///< cpa.TokenSource/1
    sdk::Subscription storeSubscription_;
    std::unique_ptr<RefreshScheduler> scheduler_;  ///< background refresh (oauth-executors.md §2.1), start..stop
    sdk::Subscription configSubscription_;  ///< re-contributes on oauth-excluded-models / oauth-model-alias changes
    std::unique_ptr<LoginFlows> login_;
    std::unique_ptr<SharedAuthSync> sharedSync_;  ///< with the shared store only (docs/shared-store.md)
};

}  // namespace cpa::oauth
