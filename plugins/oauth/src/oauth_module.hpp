#pragma once
#include "file_credential_store.hpp"
#include "login/login_flows.hpp"
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

private:
    sdk::ModuleContext* context_ = nullptr;
    std::shared_ptr<FileCredentialStore> store_;
    sdk::Subscription storeSubscription_;  ///< keeps the auth files contributed to cpa.CredentialSources/1
    std::unique_ptr<LoginFlows> login_;
    std::unique_ptr<SharedAuthSync> sharedSync_;  ///< with the shared store only (docs/shared-store.md)
};

}  // namespace cpa::oauth
