#include "records/timestamps.hpp"

#include <cstdio>
#include <ctime>

namespace cpa::proxy {

std::string rfc3339Local(std::chrono::system_clock::time_point t, int digits) {
    const auto since = t.time_since_epoch();
    const auto secs = std::chrono::floor<std::chrono::seconds>(since);
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(since - secs).count();
    const std::time_t tt = static_cast<std::time_t>(secs.count());
    // localtime_r takes glibc's time-zone lock: one conversion per second and thread.
    thread_local std::time_t cachedSecond = -1;
    thread_local char head[32];
    thread_local char zone[40];
    if (tt != cachedSecond) {
        std::tm local{};
        localtime_r(&tt, &local);
        std::strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &local);
        const long off = local.tm_gmtoff;
        if (off == 0) std::snprintf(zone, sizeof zone, "Z");
        else std::snprintf(zone, sizeof zone, "%c%02ld:%02ld", off < 0 ? '-' : '+', std::labs(off) / 3600,
                           (std::labs(off) % 3600) / 60);
        cachedSecond = tt;
    }
    char frac[16];
    if (digits == 3) std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(nanos / 1000000));
    else std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(nanos));
    std::string out;
    out.reserve(40);
    return out.append(head).append(frac).append(zone);
}

}  // namespace cpa::proxy
