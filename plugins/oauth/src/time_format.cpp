#include "time_format.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <limits>

namespace cpa::oauth {

namespace {

std::string zone(long offsetSeconds) {
    if (offsetSeconds == 0) return "Z";
    char buf[32];
    const char sign = offsetSeconds < 0 ? '-' : '+';
    const long a = offsetSeconds < 0 ? -offsetSeconds : offsetSeconds;
    std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", sign, a / 3600, (a % 3600) / 60);
    return buf;
}

std::string dateTime(std::int64_t secs, long* offset, bool utc = false) {
    const std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    if (utc)
        ::gmtime_r(&t, &tm);
    else
        ::localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    *offset = tm.tm_gmtoff;
    return buf;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

std::int64_t daysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "YYYY-MM-DD?HH:MM:SS" at the start of s; seconds since the epoch as if UTC.
bool civil(std::string_view s, char sep, std::int64_t* secs) {
    int y, mo, d, h, mi, se;
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != sep || s[13] != ':' || s[16] != ':') return false;
    if (!digits(s, 0, 4, &y) || !digits(s, 5, 2, &mo) || !digits(s, 8, 2, &d) || !digits(s, 11, 2, &h) ||
        !digits(s, 14, 2, &mi) || !digits(s, 17, 2, &se))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
    *secs = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

}  // namespace

std::int64_t saturatingMul(std::int64_t value, std::int64_t factor) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    if (value > kMax / factor) return kMax;
    if (value < kMin / factor) return kMin;
    return value * factor;
}

std::int64_t saturatingNs(std::int64_t seconds, std::int64_t fraction) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    const std::int64_t whole = saturatingMul(seconds, 1000000000LL);
    if (whole > kMax - fraction) return kMax;
    return whole + fraction;
}

std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string formatRfc3339Nano(std::int64_t unixNs, bool utc) {
    std::int64_t secs = unixNs / 1000000000LL;
    std::int64_t frac = unixNs % 1000000000LL;
    if (frac < 0) {
        frac += 1000000000LL;
        --secs;
    }
    long offset = 0;
    std::string out = dateTime(secs, &offset, utc);
    if (frac != 0) {
        char buf[16];
        std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(frac));
        std::string f = buf;
        while (f.back() == '0') f.pop_back();
        out += f;
    }
    return out + zone(offset);
}

std::string formatRfc3339(std::int64_t unixSeconds) {
    long offset = 0;
    std::string out = dateTime(unixSeconds, &offset);
    return out + zone(offset);
}

std::string formatClock(std::int64_t unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char buf[8];
    std::strftime(buf, sizeof buf, "%H:%M", &tm);
    return buf;
}

std::optional<std::int64_t> parseRfc3339Ns(std::string_view s) {
    std::int64_t secs = 0;
    if (!civil(s, 'T', &secs) && !civil(s, 't', &secs)) return std::nullopt;
    std::size_t pos = 19;
    std::int64_t frac = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (n < 9) frac = frac * 10 + (s[pos] - '0');
            ++n;
            ++pos;
        }
        if (n == 0) return std::nullopt;
        for (int i = n; i < 9; ++i) frac *= 10;
    }
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        if (pos + 1 != s.size()) return std::nullopt;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int hh, mm;
        if (pos + 6 != s.size() || s[pos + 3] != ':' || !digits(s, pos + 1, 2, &hh) || !digits(s, pos + 4, 2, &mm))
            return std::nullopt;
        const std::int64_t off = hh * 3600 + mm * 60;
        secs -= s[pos] == '+' ? off : -off;
    } else {
        return std::nullopt;
    }
    return saturatingNs(secs, frac);
}

std::optional<std::int64_t> parseLastRefreshNs(std::string_view s) {
    if (s.empty()) return std::nullopt;
    if (auto v = parseRfc3339Ns(s)) return v;
    std::int64_t secs = 0;
    if (s.size() == 19 && civil(s, ' ', &secs)) return saturatingNs(secs);
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9' || v > 100000000000LL) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return saturatingNs(v);
}

}  // namespace cpa::oauth
