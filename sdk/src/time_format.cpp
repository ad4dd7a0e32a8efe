#include <cpa/sdk/time_format.hpp>

#include <cstdio>
#include <ctime>
#include <limits>

namespace cpa::sdk {

namespace {

constexpr std::int64_t kNanosPerSecond = 1000000000LL;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

bool leapYear(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned monthDays(std::int64_t y, unsigned m) noexcept {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leapYear(y) ? 29 : kDays[m - 1];
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) noexcept {
    if (pos + n > s.size()) return false;
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    out = v;
    return true;
}

// ".123…" at s[pos] (pos moves past it): the number of digits read, -1 when
// there is no '.'; the first nine digits as nanoseconds.
int fraction(std::string_view s, std::size_t& pos, std::int64_t& nanos) noexcept {
    nanos = 0;
    if (pos >= s.size() || s[pos] != '.') return -1;
    ++pos;
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (n < 9) nanos = nanos * 10 + (s[pos] - '0');
        ++n;
        ++pos;
    }
    for (int i = n; i < 9; ++i) nanos *= 10;
    return n;
}

// Hand-rolled digits: usage and request records format several stamps per request.
void put(std::string& out, std::uint64_t v, int width) {
    char buf[20];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
}

void putDate(std::string& out, const CivilTime& c) {
    if (c.year < 0 || c.year > 9999) {
        char buf[32];
        const int n = std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(c.year));
        out.append(buf, static_cast<std::size_t>(n));
    } else {
        put(out, static_cast<std::uint64_t>(c.year), 4);
    }
    out += '-';
    put(out, c.month, 2);
    out += '-';
    put(out, c.day, 2);
}

void putFraction(std::string& out, std::uint32_t nanos, TimeFraction fraction) {
    switch (fraction) {
        case TimeFraction::None:
            return;
        case TimeFraction::Millis:
            out += '.';
            put(out, nanos / 1000000, 3);
            return;
        case TimeFraction::Nanos:
            out += '.';
            put(out, nanos, 9);
            return;
        case TimeFraction::Trimmed: {
            if (nanos == 0) return;
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                --width;
            }
            out += '.';
            put(out, nanos, width);
            return;
        }
    }
}

}  // namespace

std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = floorDiv(y, 400);
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilTime civilFromSeconds(std::int64_t secs) noexcept {
    const std::int64_t days = floorDiv(secs, 86400);
    const std::int64_t rem = secs - days * 86400;
    const std::int64_t z = days + 719468;
    const std::int64_t era = floorDiv(z, 146097);
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
    return {y, m, d, static_cast<unsigned>(rem / 3600), static_cast<unsigned>(rem % 3600 / 60),
            static_cast<unsigned>(rem % 60)};
}

std::int32_t localZoneOffset(std::int64_t unixSeconds) {
    thread_local std::int64_t cachedSecond = std::numeric_limits<std::int64_t>::min();
    thread_local std::int32_t cachedOffset = 0;
    if (unixSeconds != cachedSecond) {
        const std::time_t t = static_cast<std::time_t>(unixSeconds);
        std::tm tm{};
        localtime_r(&t, &tm);
        cachedOffset = static_cast<std::int32_t>(tm.tm_gmtoff);
        cachedSecond = unixSeconds;
    }
    return cachedOffset;
}

ZonedTime utcTime(std::chrono::system_clock::time_point t) noexcept {
    const auto since = t.time_since_epoch();
    const auto secs = std::chrono::floor<std::chrono::seconds>(since);
    return {static_cast<std::int64_t>(secs.count()),
            static_cast<std::int32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(since - secs).count()), 0};
}

ZonedTime localTime(std::chrono::system_clock::time_point t) {
    ZonedTime z = utcTime(t);
    z.offset = localZoneOffset(z.seconds);
    return z;
}

ZonedTime zonedFromUnixNanos(std::int64_t unixNanos, bool utc) {
    ZonedTime z{floorDiv(unixNanos, kNanosPerSecond), 0, 0};
    z.nanos = static_cast<std::int32_t>(unixNanos - z.seconds * kNanosPerSecond);
    if (!utc) z.offset = localZoneOffset(z.seconds);
    return z;
}

ZonedTime nowLocal() {
    struct timespec ts {};
    clock_gettime(CLOCK_REALTIME, &ts);
    return {static_cast<std::int64_t>(ts.tv_sec), static_cast<std::int32_t>(ts.tv_nsec),
            localZoneOffset(static_cast<std::int64_t>(ts.tv_sec))};
}

void appendRfc3339(std::string& out, const ZonedTime& t, TimeFraction fraction, UtcZone utc) {
    const CivilTime c = civilFromSeconds(t.seconds + t.offset);
    putDate(out, c);
    out += 'T';
    put(out, c.hour, 2);
    out += ':';
    put(out, c.minute, 2);
    out += ':';
    put(out, c.second, 2);
    putFraction(out, static_cast<std::uint32_t>(t.nanos), fraction);
    if (t.offset == 0 && utc == UtcZone::Z) {
        out += 'Z';
        return;
    }
    const int abs = t.offset < 0 ? -t.offset : t.offset;
    out += t.offset < 0 ? '-' : '+';
    put(out, static_cast<std::uint64_t>(abs / 3600), 2);
    out += ':';
    put(out, static_cast<std::uint64_t>(abs % 3600 / 60), 2);
}

std::string formatRfc3339(const ZonedTime& t, TimeFraction fraction) {
    std::string out;
    out.reserve(40);
    appendRfc3339(out, t, fraction);
    return out;
}

std::string formatDate(const ZonedTime& t) {
    std::string out;
    putDate(out, civilFromSeconds(t.seconds + t.offset));
    return out;
}

std::optional<ZonedTime> parseRfc3339(std::string_view s) {
    unsigned year, month, day, hour, minute, second;
    if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || s[10] != 'T' || !digits(s, 11, 2, hour) || s[13] != ':' ||
        !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > monthDays(year, month) || hour > 23 || minute > 59 ||
        second > 59) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::int64_t nanos = 0;
    if (const int digitsRead = fraction(s, pos, nanos); digitsRead == 0 || digitsRead > 9) return std::nullopt;
    std::int32_t offset = 0;
    if (pos < s.size() && s[pos] == 'Z') {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        unsigned oh, om;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) ||
            oh > 23 || om > 59) {
            return std::nullopt;
        }
        offset = static_cast<std::int32_t>(oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    const std::int64_t local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return ZonedTime{local - offset, static_cast<std::int32_t>(nanos), offset};
}

std::optional<std::int64_t> parseCivilSeconds(std::string_view s, char sep) {
    unsigned y, mo, d, h, mi, se;
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != sep || s[13] != ':' || s[16] != ':') return std::nullopt;
    if (!digits(s, 0, 4, y) || !digits(s, 5, 2, mo) || !digits(s, 8, 2, d) || !digits(s, 11, 2, h) ||
        !digits(s, 14, 2, mi) || !digits(s, 17, 2, se))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

std::optional<std::int64_t> parseRfc3339LenientNanos(std::string_view s) {
    std::optional<std::int64_t> secs = parseCivilSeconds(s, 'T');
    if (!secs) secs = parseCivilSeconds(s, 't');
    if (!secs) return std::nullopt;
    std::size_t pos = 19;
    std::int64_t frac = 0;
    if (fraction(s, pos, frac) == 0) return std::nullopt;
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        if (pos + 1 != s.size()) return std::nullopt;
    } else if (s[pos] == '+' || s[pos] == '-') {
        unsigned hh, mm;
        if (pos + 6 != s.size() || s[pos + 3] != ':' || !digits(s, pos + 1, 2, hh) || !digits(s, pos + 4, 2, mm))
            return std::nullopt;
        const std::int64_t off = hh * 3600 + mm * 60;
        *secs -= s[pos] == '+' ? off : -off;
    } else {
        return std::nullopt;
    }
    return saturatingNanos(*secs, frac);
}

std::int64_t saturatingNanos(std::int64_t seconds, std::int64_t fraction) noexcept {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    if (seconds > kMax / kNanosPerSecond) return kMax;
    if (seconds < kMin / kNanosPerSecond) return kMin;
    const std::int64_t whole = seconds * kNanosPerSecond;
    if (whole > kMax - fraction) return kMax;
    return whole + fraction;
}

}  // namespace cpa::sdk
