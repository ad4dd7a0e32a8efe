#pragma once
// OAuth refresh of gemini-cli tokens for /api-call (api-call.md §3.1), at the
// login settings' token endpoint; Antigravity files go through the token
// service instead (their refresh is persisted, so it takes the flight lock).
#include "api_call_token.hpp"
#include "proxy_choice.hpp"

#include <cpa/sdk/config.hpp>

#include <optional>
#include <string>

namespace cpa::oauth {

/// The fresh access token, or "" when the refresh failed; used for this call
/// only, never written (as the original).
std::string refreshGeminiCliToken(const CallCredential& cred, const sdk::ConfigSnapshot& config,
                                  const std::optional<ProxySpec>& proxy);

}  // namespace cpa::oauth
