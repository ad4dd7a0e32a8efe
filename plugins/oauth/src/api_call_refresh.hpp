#pragma once
// OAuth refresh of gemini-cli and antigravity tokens for /api-call
// (api-call.md §3.1), at the token endpoints of the login settings.
#include "api_call_token.hpp"
#include "proxy_choice.hpp"

#include <cpa/sdk/config.hpp>

#include <optional>
#include <string>

namespace cpa::oauth {

/// The fresh access token, or "" when the refresh failed. An antigravity
/// refresh is persisted to its file; a gemini-cli one is used for this call only.
std::string refreshAccessToken(const CallCredential& cred, const sdk::ConfigSnapshot& config,
                               FileCredentialStore& store, const std::optional<ProxySpec>& proxy);

}  // namespace cpa::oauth
