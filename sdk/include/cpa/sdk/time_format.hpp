#pragma once
// Go-compatible time text: RFC 3339 as Go's time.Time writes and reads it
// (credential files, usage records, request records, audit lines), one
// implementation for the core and every module.
#include <cpa/sdk/export.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::sdk {

/// An instant and the zone offset it is written in (Go's time.Time keeps both:
/// a parsed "+08:00" is written back as "+08:00").
struct ZonedTime {
    std::int64_t seconds = 0;  ///< Unix seconds (UTC)
    std::int32_t nanos = 0;    ///< 0..999 999 999
    std::int32_t offset = 0;   ///< zone offset in seconds east of UTC
};

/// A proleptic Gregorian date and time of day.
struct CivilTime {
    std::int64_t year = 1970;
    unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

/// Days since 1970-01-01 of a date (H. Hinnant's algorithm; any year).
CPA_SDK_API std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) noexcept;
/// The date and time of day of `seconds` since the epoch (read as UTC).
CPA_SDK_API CivilTime civilFromSeconds(std::int64_t seconds) noexcept;

/// The server's local zone offset at a Unix second. Cached per thread for the
/// last second asked: localtime_r takes glibc's zone lock.
CPA_SDK_API std::int32_t localZoneOffset(std::int64_t unixSeconds);
/// `t` in the server's local zone, or in UTC.
CPA_SDK_API ZonedTime localTime(std::chrono::system_clock::time_point t);
CPA_SDK_API ZonedTime utcTime(std::chrono::system_clock::time_point t) noexcept;
/// Unix nanoseconds (negative ones too) in the local zone or in UTC.
CPA_SDK_API ZonedTime zonedFromUnixNanos(std::int64_t unixNanos, bool utc = false);
/// Now in the server's local zone.
CPA_SDK_API ZonedTime nowLocal();

/// The fraction written after the seconds.
enum class TimeFraction {
    None,     ///< Go's time.RFC3339: "2026-01-02T03:04:05+01:00"
    Trimmed,  ///< Go's time.RFC3339Nano: up to 9 digits, trailing zeros dropped, none when whole
    Millis,   ///< always 3 digits
    Nanos,    ///< always 9 digits
};

/// How a zero offset is written: Go writes "Z"; some log formats "+00:00".
enum class UtcZone { Z, Numeric };

/// Appends `t` as RFC 3339 in its own zone ("Z" or ±hh:mm).
CPA_SDK_API void appendRfc3339(std::string& out, const ZonedTime& t, TimeFraction fraction = TimeFraction::None,
                               UtcZone utc = UtcZone::Z);
CPA_SDK_API std::string formatRfc3339(const ZonedTime& t, TimeFraction fraction = TimeFraction::None);
/// Go's RFC3339Nano (the text of a time.Time in JSON).
inline std::string formatRfc3339Nano(const ZonedTime& t) { return formatRfc3339(t, TimeFraction::Trimmed); }
/// "YYYY-MM-DD" in `t`'s own zone.
CPA_SDK_API std::string formatDate(const ZonedTime& t);

/// Strict RFC 3339 as Go's time.Time JSON decoding reads it: 'T', seconds,
/// 1–9 fraction digits, 'Z' or ±hh:mm, real dates only; nullopt otherwise.
CPA_SDK_API std::optional<ZonedTime> parseRfc3339(std::string_view text);
/// The lenient reading of time values in credential files (auth-files.md §2.1):
/// 't'/'z' in either case, any number of fraction digits (nanoseconds kept),
/// days up to 31 and a leap second. Unix nanoseconds, saturated to the int64
/// range (a date after 2262-04-11 is the far future, never a negative time).
CPA_SDK_API std::optional<std::int64_t> parseRfc3339LenientNanos(std::string_view text);
/// "YYYY-MM-DD<separator>HH:MM:SS" at the start of `text`, as Unix seconds if
/// it were UTC; nullopt when malformed (the lenient ranges above).
CPA_SDK_API std::optional<std::int64_t> parseCivilSeconds(std::string_view text, char separator);

/// `seconds` * 10^9 + `fraction` (0 <= fraction < 10^9), clamped to the int64 range.
CPA_SDK_API std::int64_t saturatingNanos(std::int64_t seconds, std::int64_t fraction = 0) noexcept;

}  // namespace cpa::sdk
