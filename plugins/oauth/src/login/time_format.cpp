#include "login/time_format.hpp"

#include <cstdio>
#include <ctime>

namespace cpa::oauth::login {

namespace {

std::string format(SysTime t, bool local, bool nanos) {
    const auto secs = std::chrono::floor<std::chrono::seconds>(t);
    const std::time_t tt = std::chrono::system_clock::to_time_t(secs);
    std::tm tm{};
    if (local) {
        localtime_r(&tt, &tm);
    } else {
        gmtime_r(&tt, &tm);
    }
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out(buf);
    if (nanos) {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t - secs).count();
        if (ns > 0) {
            char frac[32];
            std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(ns));
            std::string f(frac);
            while (f.back() == '0') f.pop_back();
            out += f;
        }
    }
    const long offset = local ? tm.tm_gmtoff : 0;
    if (offset == 0) return out + "Z";
    const long mins = (offset < 0 ? -offset : offset) / 60;
    std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", offset < 0 ? '-' : '+', mins / 60, mins % 60);
    return out + buf;
}

}  // namespace

std::string rfc3339Local(SysTime t) { return format(t, true, false); }
std::string rfc3339NanoLocal(SysTime t) { return format(t, true, true); }
std::string rfc3339Utc(SysTime t) { return format(t, false, false); }
std::int64_t unixMillis(SysTime t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace cpa::oauth::login
