#pragma once
// Access tokens of OAuth credentials ("cpa.TokenSource/1") and the data
// plane's runtime state per credential ("cpa.CredentialStates/1"). The module
// that owns a credential's refresh token provides the first (the oauth module,
// for its auth files); the data plane asks it for a usable token per upstream
// call and never reads credential files itself. The data plane provides the
// second, so the owner can show cooldowns next to its own status. Since SDK 2.1.
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/services.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace cpa::sdk {

namespace wire {
/// An auth file of type `claude` (Claude Code OAuth): `{oauth-upstreams.claude}/v1/messages`, Bearer token.
inline constexpr std::string_view kOAuthClaude = "oauth:claude";
/// An auth file of type `codex` (ChatGPT OAuth): `{oauth-upstreams.codex}/responses`, Bearer token + account id.
inline constexpr std::string_view kOAuthCodex = "oauth:codex";
}  // namespace wire

/// A token to send, or why there is none.
struct TokenGrant {
    bool ok{};
    std::string accessToken;  ///< secret: never log it
    std::string accountId;    ///< codex: `Chatgpt-Account-Id` ("" when the file has none)
    std::int64_t expiresAtUnixMs{};  ///< 0 = unknown
    /// !ok: an HTTP-like status for the client (401: the refresh token was
    /// rejected; 503: the token endpoint failed or the credential backs off;
    /// 404: no such enabled credential) and a message naming the credential.
    int status{};
    std::string message;
    std::int64_t retryAfterUnixMs{};  ///< !ok: no new refresh attempt before this time (0 = none)
};

class CPA_SDK_API TokenSource {
public:
    virtual ~TokenSource();
    /// A token valid beyond the provider's refresh lead time, refreshing first
    /// when needed. One refresh at a time per credential: concurrent callers
    /// wait for it (at most `wait`) and share its result. Thread-safe.
    virtual TokenGrant token(std::string_view credentialId, std::chrono::milliseconds wait) = 0;
    /// The upstream rejected `rejectedToken` (HTTP 401): refresh now, unless
    /// the credential already holds another token (someone refreshed meanwhile),
    /// which is returned instead.
    virtual TokenGrant refreshAfterRejection(std::string_view credentialId, std::string_view rejectedToken,
                                             std::chrono::milliseconds wait) = 0;
};

inline constexpr ServiceKey<TokenSource> kTokenSourceService{"cpa.TokenSource/1"};

/// What the data plane knows of one credential from its results
/// (data-plane.md §6.10), in the terms of GET /auth-files.
struct CredentialRuntimeState {
    bool known{};          ///< false: never routed (or not routable)
    bool error{};          ///< some model is in the error state (status "error")
    std::string statusMessage;  ///< the last error text ("" after a clean success)
    bool unavailable{};    ///< every model with a state is blocked
    std::int64_t nextRetryAfterUnixMs{};  ///< earliest recovery while unavailable (0 = none)
    std::int64_t success{}, failed{};
};

class CPA_SDK_API CredentialStates {
public:
    virtual ~CredentialStates();
    virtual CredentialRuntimeState state(std::string_view credentialId) const = 0;
};

inline constexpr ServiceKey<CredentialStates> kCredentialStatesService{"cpa.CredentialStates/1"};

}  // namespace cpa::sdk
