#pragma once
// The runtime fields of a GET /auth-files entry (oauth-executors.md §4.4):
// status, status_message, unavailable, next_retry_after and the success /
// failed counters, from this module's failed refreshes and the data plane's
// per-credential state (cpa.CredentialStates/1, when a data plane provides it).
#include "auth_file_entry.hpp"
#include "tokens/token_service.hpp"

#include <cpa/sdk/services.hpp>

#include <memory>

namespace cpa::oauth {

/// `services` is asked per listing (the data plane may be configured after this module).
EntryOverlay runtimeOverlay(std::shared_ptr<TokenService> tokens, sdk::Services& services);

}  // namespace cpa::oauth
