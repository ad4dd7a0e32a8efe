#include "registry/credential_states_adapter.hpp"

namespace cpa::proxy {

sdk::CredentialRuntimeState CredentialStatesAdapter::state(std::string_view credentialId) const {
    const CredentialPool::Summary s = pool_.summary(std::string(credentialId));
    sdk::CredentialRuntimeState out;
    out.known = s.known;
    out.error = s.error;
    out.statusMessage = s.lastError;
    out.unavailable = s.unavailable;
    if (s.nextRetryAfter)
        out.nextRetryAfterUnixMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(s.nextRetryAfter->time_since_epoch()).count();
    out.success = s.success;
    out.failed = s.failed;
    return out;
}

}  // namespace cpa::proxy
