#include "timestamp.hpp"

#include <cstdio>
#include <ctime>

namespace cpa::usage {

namespace {

constexpr std::int64_t kGoZeroSeconds = -62135596800;  // 0001-01-01T00:00:00Z

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = floorDiv(y, 400);
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t year;
    unsigned month, day, hour, minute, second;
};

Civil civilFromSeconds(std::int64_t secs) {
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

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned monthDays(std::int64_t y, unsigned m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
    if (pos + n > s.size()) return false;
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    out = v;
    return true;
}

// Hand-rolled digits: this runs several times per recorded request.
void put(std::string& out, std::uint64_t v, int width) {
    char buf[20];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
}

void putDate(std::string& out, const Civil& c) {
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

std::string format(const Timestamp& t, std::int32_t offset) {
    const Civil c = civilFromSeconds(t.seconds + offset);
    std::string out;
    out.reserve(36);
    putDate(out, c);
    out += 'T';
    put(out, c.hour, 2);
    out += ':';
    put(out, c.minute, 2);
    out += ':';
    put(out, c.second, 2);
    if (t.nanos != 0) {
        std::uint32_t frac = static_cast<std::uint32_t>(t.nanos);
        int digits = 9;
        while (frac % 10 == 0) {
            frac /= 10;
            --digits;
        }
        out += '.';
        put(out, frac, digits);
    }
    if (offset == 0) {
        out += 'Z';
    } else {
        const int abs = offset < 0 ? -offset : offset;
        out += offset < 0 ? '-' : '+';
        put(out, static_cast<std::uint64_t>(abs / 3600), 2);
        out += ':';
        put(out, static_cast<std::uint64_t>(abs % 3600 / 60), 2);
    }
    return out;
}

}  // namespace

bool Timestamp::isZero() const noexcept { return seconds == kGoZeroSeconds && nanos == 0; }

std::string Timestamp::dayKey() const {
    std::string out;
    putDate(out, civilFromSeconds(seconds + offset));
    return out;
}

int Timestamp::hour() const noexcept {
    const std::int64_t local = seconds + offset;
    return static_cast<int>((local - floorDiv(local, 86400) * 86400) / 3600);
}

Timestamp nowLocal() {
    struct timespec ts {};
    clock_gettime(CLOCK_REALTIME, &ts);
    std::tm tm{};
    const time_t secs = ts.tv_sec;
    localtime_r(&secs, &tm);
    return Timestamp{static_cast<std::int64_t>(ts.tv_sec), static_cast<std::int32_t>(ts.tv_nsec),
                     static_cast<std::int32_t>(tm.tm_gmtoff)};
}

std::optional<Timestamp> parseRfc3339(std::string_view s) {
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
    std::int32_t nanos = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t count = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (count < 9) nanos = nanos * 10 + (s[pos] - '0');
            ++count;
            ++pos;
        }
        if (count == 0 || count > 9) return std::nullopt;
        for (std::size_t i = count; i < 9; ++i) nanos *= 10;
    }
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
    return Timestamp{local - offset, nanos, offset};
}

std::string formatRfc3339Nano(const Timestamp& t) { return format(t, t.offset); }
std::string formatUtcRfc3339Nano(const Timestamp& t) { return format(t, 0); }

}  // namespace cpa::usage
