#pragma once
// The OAuth login side of the oauth module (oauth.md): auth-URL routes, the
// session registry, callbacks and token exchange. The module's registerRoutes()
// calls registerLoginFlows once; the returned object lives until the module stops.
#include <cpa/sdk/credentials.hpp>
#include <cpa/sdk/module.hpp>

#include <memory>

namespace cpa::oauth {

class LoginFlows {
public:
    virtual ~LoginFlows() = default;
    /// Stops background work (device-flow pollers, local callback listeners)
    /// and waits for it; called from the module's stop().
    virtual void stop() = 0;
};

std::unique_ptr<LoginFlows> registerLoginFlows(cpa::sdk::ModuleContext& ctx, cpa::sdk::RouteRegistry& routes,
                                               std::shared_ptr<cpa::sdk::CredentialStore> store);

}  // namespace cpa::oauth
