#pragma once
// The time values of credential files beyond Go's RFC 3339 (which is
// cpa/sdk/time_format.hpp): nanosecond clocks that saturate, the last-refresh
// forms of auth-files.md §2.1 and the clock of a quota bucket.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::oauth {

std::int64_t nowNs();
/// Milliseconds since the epoch (the "timestamp" member of some files).
std::int64_t unixMillis(std::chrono::system_clock::time_point t);

/// `value` * `factor` (factor > 0), clamped to the int64 range.
std::int64_t saturatingMul(std::int64_t value, std::int64_t factor);

/// "HH:MM" of a Unix second in the local zone.
std::string formatClock(std::int64_t unixSeconds);

/// RFC 3339 (lenient), "YYYY-MM-DD HH:MM:SS" (UTC) or Unix seconds (digits).
std::optional<std::int64_t> parseLastRefreshNs(std::string_view text);

}  // namespace cpa::oauth
