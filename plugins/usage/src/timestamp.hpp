#pragma once
// RFC 3339 timestamps as the original's JSON encodes them (Go time.Time):
// the instant plus the zone offset it was written in, because day/hour
// buckets follow the timestamp's own zone (usage.md §2 step 6, §5.3 step 5).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::usage {

struct Timestamp {
    std::int64_t seconds = 0;   ///< Unix seconds (UTC)
    std::int32_t nanos = 0;     ///< 0..999 999 999
    std::int32_t offset = 0;    ///< zone offset in seconds east of UTC

    /// Go's zero time (0001-01-01T00:00:00Z) means "not set".
    bool isZero() const noexcept;
    /// `YYYY-MM-DD` and hour 0–23 in the timestamp's own zone.
    std::string dayKey() const;
    int hour() const noexcept;
};

/// Now, in the server's local zone.
Timestamp nowLocal();

/// Strict RFC 3339 (`T`, seconds, optional 1–9 fraction digits, `Z` or ±hh:mm).
std::optional<Timestamp> parseRfc3339(std::string_view text);

/// Go's RFC3339Nano: trailing fractional zeros trimmed, `Z` for offset 0.
std::string formatRfc3339Nano(const Timestamp& t);
/// The same instant rendered in UTC (the dedup key form, usage.md §5.4).
std::string formatUtcRfc3339Nano(const Timestamp& t);

}  // namespace cpa::usage
