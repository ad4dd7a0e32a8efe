#pragma once
// RFC 3339 timestamps as the original's JSON encodes them (Go time.Time):
// the instant plus the zone offset it was written in, because day/hour
// buckets follow the timestamp's own zone (usage.md §2 step 6, §5.3 step 5).
// Parsing and formatting are the SDK's (cpa/sdk/time_format.hpp).
#include <cpa/sdk/time_format.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::usage {

struct Timestamp : sdk::ZonedTime {
    /// Go's zero time (0001-01-01T00:00:00Z) means "not set".
    bool isZero() const noexcept;
    /// `YYYY-MM-DD` and hour 0–23 in the timestamp's own zone.
    std::string dayKey() const { return sdk::formatDate(*this); }
    int hour() const noexcept { return static_cast<int>(sdk::civilFromSeconds(seconds + offset).hour); }
};

/// Now, in the server's local zone.
inline Timestamp nowLocal() { return Timestamp{sdk::nowLocal()}; }

/// Strict RFC 3339 (`T`, seconds, optional 1–9 fraction digits, `Z` or ±hh:mm).
inline std::optional<Timestamp> parseRfc3339(std::string_view text) {
    if (auto t = sdk::parseRfc3339(text)) return Timestamp{*t};
    return std::nullopt;
}

/// Go's RFC3339Nano: trailing fractional zeros trimmed, `Z` for offset 0.
inline std::string formatRfc3339Nano(const Timestamp& t) { return sdk::formatRfc3339Nano(t); }
/// The same instant rendered in UTC (the dedup key form, usage.md §5.4).
inline std::string formatUtcRfc3339Nano(const Timestamp& t) {
    return sdk::formatRfc3339Nano(sdk::ZonedTime{t.seconds, t.nanos, 0});
}

}  // namespace cpa::usage
