#pragma once
// Which credential an auth_index names for /api-call, and its token and proxy
// candidates (api-call.md §3.1, §4.1).
#include "file_credential_store.hpp"

#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cpa::oauth {

struct CallCredential {
    std::string provider;
    sdk::Value metadata;      ///< file credentials (a virtual child: its parent's)
    std::string apiKey;       ///< config credentials
    std::string ownProxy;     ///< credential proxy_url / config entry proxy-url
    bool fromFile{};
    std::string fileName;     ///< file credentials: the file to persist a refresh into
};

/// File credentials (and Gemini virtual children) first, then the API-key
/// credentials other modules contributed (provider-keys' config families,
/// third-party provider plugins).
std::optional<CallCredential> findCallCredential(const FileCredentialStore& store, const sdk::CredentialSet& contributed,
                                                 const std::string& authIndex);

struct TokenResult {
    std::string token;
    bool needsRefresh{};  ///< gemini-cli / antigravity: missing or expiring OAuth token
};

/// The stored token for `$TOKEN$`; empty when the credential yields none.
TokenResult resolveToken(const CallCredential& cred, std::int64_t nowNs);

}  // namespace cpa::oauth
