// Placeholder until the login flows land (issue 9): registers nothing.
#include "login/login_flows.hpp"

namespace cpa::oauth {

namespace {
class NoLoginFlows final : public LoginFlows {
public:
    void stop() override {}
};
}  // namespace

std::unique_ptr<LoginFlows> registerLoginFlows(cpa::sdk::ModuleContext&, cpa::sdk::RouteRegistry&,
                                               std::shared_ptr<cpa::sdk::CredentialStore>) {
    return std::make_unique<NoLoginFlows>();
}

}  // namespace cpa::oauth
