#pragma once
// D5: PUT /config.yaml must not change remote-management.allow-remote or
// remote-management.secret-key; those are file-only settings.
#include <cpa/sdk/value.hpp>

#include <string>
#include <string_view>

namespace cpa::config {

/// Part of the 422 message; also how the PUT handler recognises the refusal
/// when it comes back through the store's validation.
inline constexpr std::string_view kFileOnlyMessage =
    "remote-management.allow-remote and remote-management.secret-key are file-only settings; "
    "edit config.yaml on the server to change them";

/// True when `candidate` keeps both settings of `current`: allow-remote has the
/// same effective value (absent = false) and secret-key is the same text, a
/// plaintext that verifies against the current bcrypt hash, or another bcrypt
/// hash of the same secret — shown by `presentedKey` (the request's management
/// key) verifying against both hashes.
bool keepsFileOnlySettings(const sdk::Value& current, const sdk::Value& candidate,
                           const std::string& presentedKey = {});

/// bcrypt verification ($2a$, $2b$, $2y$) through libcrypt.
bool bcryptMatches(const std::string& plaintext, const std::string& hash);

}  // namespace cpa::config
