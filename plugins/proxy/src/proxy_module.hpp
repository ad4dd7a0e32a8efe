#pragma once
#include "exec/oauth_executor.hpp"
#include "proxy_service.hpp"

#include <cpa/sdk/module.hpp>

#include <memory>

namespace cpa::proxy {

/// The LLM data plane (data-plane.md §13 first version): client endpoints
/// under /v1, /v1beta and /backend-api/codex behind client-key auth.
class ProxyModule : public sdk::Module {
public:
    ProxyModule();
    /// For tests: a scripted executor and a fake clock.
    ProxyModule(std::unique_ptr<Executor> executor, std::shared_ptr<Clock> clock);
    ~ProxyModule() override;

    void configure(sdk::ModuleContext& context) override;
    void registerRoutes(sdk::RouteRegistry& routes) override;
    void start() override;
    void stop() noexcept override;

    ProxyService& service() { return *service_; }

private:
    std::unique_ptr<Executor> pendingExecutor_;
    std::shared_ptr<Clock> clock_;
    std::shared_ptr<sdk::CredentialSources> sources_;
    std::unique_ptr<ProxyService> service_;
    sdk::Subscription subscription_;
    sdk::Subscription sourcesSubscription_;
    sdk::ModuleContext* context_ = nullptr;
    std::shared_ptr<void> credentialMetrics_;  ///< pool states in /metrics
    OAuthExecutor* oauthExecutor_ = nullptr;   ///< owned by service_ (the executor chain's head)
};

}  // namespace cpa::proxy
