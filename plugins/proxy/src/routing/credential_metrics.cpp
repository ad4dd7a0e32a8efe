#include "routing/credential_metrics.hpp"

#include <cpa/sdk/observability.hpp>

namespace cpa::proxy {

namespace {

// The auth index names the credential; never its key.
std::string labels(const Credential& c) {
    return sdk::renderMetricLabels({{"provider", c.providerKey}, {"auth_index", c.upstream ? c.upstream->authIndex : ""}});
}

}  // namespace

std::shared_ptr<void> addCredentialMetrics(sdk::Services& services, const CredentialPool& pool) {
    auto sources = services.get(sdk::kMetricSourcesService);
    if (!sources) return nullptr;
    const CredentialPool* p = &pool;
    return sources->add([p](std::vector<sdk::MetricSample>& out) {
        std::size_t active = 0;
        for (const CredentialPool::StateCount& c : p->stateCounts()) {
            ++active;
            const std::string l = labels(*c.credential);
            out.push_back({"cpa_credential_cooling_models", "Models of a credential cooling down after failures.",
                           false, l, static_cast<double>(c.coolingModels)});
            out.push_back({"cpa_credential_quota_exceeded_models", "Models of a credential marked over quota.", false,
                           l, static_cast<double>(c.quotaModels)});
        }
        out.push_back({"cpa_credentials_active", "Credentials the data plane can pick from.", false, "",
                       static_cast<double>(active)});
    });
}

}  // namespace cpa::proxy
