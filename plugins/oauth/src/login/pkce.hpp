#pragma once
// Randomness and encodings of the flows: PKCE (RFC 7636, S256), the
// original's state formats (oauth.md §1).
#include <cstdint>
#include <string>
#include <string_view>

namespace cpa::oauth::login {

struct PkceCodes {
    std::string verifier;   ///< base64url (no padding) of 96 random bytes: 128 chars
    std::string challenge;  ///< base64url (no padding) of SHA-256(verifier)
};

/// Throws std::runtime_error when the system's random source fails.
std::string randomBytes(std::size_t n);
PkceCodes generatePkce();
/// S256 challenge of a verifier.
std::string pkceChallenge(std::string_view verifier);

/// 32 lowercase hex chars from 16 random bytes (anthropic, codex, antigravity).
std::string randomHexState();
/// "<prefix>-<Unix time in nanoseconds>" (gemini "gem", kimi "kmi").
std::string timeState(std::string_view prefix);
/// Random version-4 UUID, lowercase.
std::string randomUuid();

}  // namespace cpa::oauth::login
