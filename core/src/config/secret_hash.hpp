#pragma once
// bcrypt for remote-management.secret-key (libxcrypt). The original stores
// `$2a$10$...`; verification accepts the $2a$, $2b$ and $2y$ variants.
#include <string>
#include <string_view>

namespace cpa::core {

/// length > 4 and prefix $2a$, $2b$ or $2y$ (nothing else is checked).
bool looksLikeBcrypt(std::string_view s) noexcept;

/// bcrypt(plain) with a fresh random salt. `prefix` is "$2a$" or "$2b$".
/// Throws std::runtime_error ("secret longer than 72 bytes", ...).
std::string bcryptHash(const std::string& plain, int cost = 10, const char* prefix = "$2a$");

/// True when `plain` matches `hash`; false for malformed hashes.
bool bcryptVerify(const std::string& plain, const std::string& hash);

}  // namespace cpa::core
