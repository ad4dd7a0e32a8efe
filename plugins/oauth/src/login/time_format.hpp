#pragma once
// Time strings of the credential files (auth-files.md §2.2): RFC 3339 in the
// server's local zone (or UTC), optionally with Go-style trimmed nanoseconds.
#include <chrono>
#include <cstdint>
#include <string>

namespace cpa::oauth::login {

using SysTime = std::chrono::system_clock::time_point;

/// "2026-05-01T12:00:03+08:00" (local zone; "Z" when the offset is zero).
std::string rfc3339Local(SysTime t);
/// Like rfc3339Local with ".123456789" (trailing zeros trimmed, none if whole).
std::string rfc3339NanoLocal(SysTime t);
/// "2026-05-01T05:00:03Z".
std::string rfc3339Utc(SysTime t);
std::int64_t unixMillis(SysTime t);

}  // namespace cpa::oauth::login
