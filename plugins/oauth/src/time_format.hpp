#pragma once
// Go's time.Time JSON text (RFC 3339 with up to 9 trimmed fractional digits,
// local zone, "Z" for UTC) and the last-refresh parser of auth-files.md §2.1.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::oauth {

std::int64_t nowNs();

/// `seconds` * 10^9 + `fraction` (0 <= fraction < 10^9), clamped to the int64
/// range: a date after 2262-04-11 is the far future, never a negative time.
std::int64_t saturatingNs(std::int64_t seconds, std::int64_t fraction = 0);
/// `value` * `factor` (factor > 0), clamped to the int64 range.
std::int64_t saturatingMul(std::int64_t value, std::int64_t factor);

/// RFC 3339 with nanoseconds (trailing zeros trimmed) in the local zone (or UTC).
std::string formatRfc3339Nano(std::int64_t unixNs, bool utc = false);
/// RFC 3339 without fractional seconds in the local zone.
std::string formatRfc3339(std::int64_t unixSeconds);
/// "HH:MM" of a Unix second in the local zone.
std::string formatClock(std::int64_t unixSeconds);

/// RFC 3339 (optional fraction, "Z" or ±hh:mm); nullopt when malformed.
std::optional<std::int64_t> parseRfc3339Ns(std::string_view text);
/// RFC 3339, "YYYY-MM-DD HH:MM:SS" (UTC) or Unix seconds (digits).
std::optional<std::int64_t> parseLastRefreshNs(std::string_view text);

}  // namespace cpa::oauth
