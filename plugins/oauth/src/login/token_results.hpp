#pragma once
// Token-endpoint responses → credential files (auth-files.md §2.2). Pure
// functions: `now` is passed in. Each throws std::runtime_error when the
// response cannot be used (not JSON, no access token).
#include "time_values.hpp"

#include <cpa/sdk/time_format.hpp>
#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cpa::oauth::login {

using SysTime = std::chrono::system_clock::time_point;

struct Credential {
    std::string fileName;
    cpa::sdk::Value content;
    bool indented{};  ///< 2-space indented file (gemini, kimi), else compact

    /// The file's exact bytes: keys in insertion order (sorted by the
    /// builders below, like the original's maps), then "\n".
    std::string bytes() const;
};

Credential claudeCredential(const std::string& tokenBody, SysTime now);
Credential codexCredential(const std::string& tokenBody, SysTime now);

/// Codex file name rule: plan normalised, "team" gets the account hash.
std::string codexFileName(const std::string& email, const std::string& plan, const std::string& accountId);

/// The Google token as stored in a gemini file's `token` (before the
/// client fields are added): access_token, expires_in?, expiry,
/// refresh_token, token_type.
struct GoogleToken {
    std::string accessToken;
    std::string refreshToken;
    std::string tokenType;
    std::int64_t expiresIn{};  ///< 0 when absent
};
GoogleToken parseGoogleToken(const std::string& tokenBody);

struct GeminiAccount {
    std::string email;
    std::string projectId;
    bool autoProject{};
    bool checked{};
    std::string clientId;
    std::string clientSecret;
    std::string tokenUri;
    std::vector<std::string> scopes;
};
Credential geminiCredential(const GoogleToken& token, const GeminiAccount& account, SysTime now);
/// gemini-<email>-<project>.json, or -all.json for ALL / comma lists.
std::string geminiFileName(const std::string& email, const std::string& projectId);

Credential antigravityCredential(const GoogleToken& token, const std::string& email, const std::string& projectId,
                                 SysTime now);

/// Kimi device-flow token response; `deviceId` may be empty.
Credential kimiCredential(const std::string& tokenBody, const std::string& deviceId, SysTime now);

/// The JSON object of a body; throws std::runtime_error otherwise.
cpa::sdk::Value parseObject(const std::string& body);
/// String member or "" (numbers are not converted).
std::string stringMember(const cpa::sdk::Value& object, std::string_view key);

}  // namespace cpa::oauth::login
