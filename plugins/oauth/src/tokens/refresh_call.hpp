#pragma once
// The refresh-token exchange of OAuth credentials (Claude and Codex here, the
// others through refresh_providers.hpp) at
// `oauth-login.<provider>.token-url` (oauth-executors.md §2.4), and the
// metadata it leaves in the file.
#include "login/login_settings.hpp"
#include "proxy_choice.hpp"
#include "upstream_client.hpp"

#include <cpa/sdk/value.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace cpa::oauth {

struct RefreshOutcome {
    bool ok{};
    /// !ok: 401 when the token endpoint refused the refresh token (4xx),
    /// 503 for a timeout, a connection failure, a 5xx or an unusable body.
    int status{};
    std::string message;  ///< !ok: why, without secrets
    sdk::Value metadata;  ///< ok: the file's metadata with the new tokens, expiry and last_refresh
};

/// Whether this module refreshes tokens of `provider` here (claude, codex,
/// gemini-cli, antigravity, kimi): at request time and in the background.
bool refreshableProvider(std::string_view provider);

/// One refresh of `metadata`'s refresh token (Codex: up to 3 attempts, 1 s
/// then 2 s apart, none after `refresh_token_reused`, oauth-executors.md §2.4), bounded by
/// `timeout` in total (a silent endpoint: 503 "… did not answer within …").
/// `cancel` (optional) aborts it from another thread.
RefreshOutcome refreshTokens(std::string_view provider, const sdk::Value& metadata,
                             const login::LoginSettings& settings, const std::optional<ProxySpec>& proxy,
                             std::chrono::milliseconds timeout, CancelToken* cancel = nullptr);

/// The refreshed metadata: `previous` with the token response's fields
/// merged as oauth-executors.md §2.4 lists them. Throws std::runtime_error for an unusable body.
sdk::Value mergeRefreshed(std::string_view provider, const sdk::Value& previous, const std::string& responseBody,
                          std::chrono::system_clock::time_point now);

}  // namespace cpa::oauth
