#pragma once
// cpa.CredentialStates/1 over the credential pool: what GET /auth-files
// shows of the data plane's per-credential state (oauth-executors.md §4.4).
#include "routing/credential_pool.hpp"

#include <cpa/sdk/token_source.hpp>

namespace cpa::proxy {

class CredentialStatesAdapter final : public sdk::CredentialStates {
public:
    explicit CredentialStatesAdapter(const CredentialPool& pool) : pool_(pool) {}
    sdk::CredentialRuntimeState state(std::string_view credentialId) const override;

private:
    const CredentialPool& pool_;
};

}  // namespace cpa::proxy
