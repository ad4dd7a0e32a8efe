#include "time_values.hpp"

#include <cpa/sdk/time_format.hpp>

#include <ctime>
#include <limits>

namespace cpa::oauth {

std::int64_t saturatingMul(std::int64_t value, std::int64_t factor) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    if (value > kMax / factor) return kMax;
    if (value < kMin / factor) return kMin;
    return value * factor;
}

std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t unixMillis(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string formatClock(std::int64_t unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char buf[8];
    std::strftime(buf, sizeof buf, "%H:%M", &tm);
    return buf;
}

std::optional<std::int64_t> parseLastRefreshNs(std::string_view s) {
    if (s.empty()) return std::nullopt;
    if (auto v = sdk::parseRfc3339LenientNanos(s)) return v;
    if (s.size() == 19) {
        if (auto secs = sdk::parseCivilSeconds(s, ' ')) return sdk::saturatingNanos(*secs);
    }
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9' || v > 100000000000LL) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return sdk::saturatingNanos(v);
}

}  // namespace cpa::oauth
