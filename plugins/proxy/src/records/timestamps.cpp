#include "records/timestamps.hpp"

#include <cstdio>
#include <ctime>

namespace cpa::proxy {

std::string rfc3339Local(std::chrono::system_clock::time_point t, int digits) {
    const auto since = t.time_since_epoch();
    const auto secs = std::chrono::floor<std::chrono::seconds>(since);
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(since - secs).count();
    const std::time_t tt = static_cast<std::time_t>(secs.count());
    std::tm local{};
    localtime_r(&tt, &local);
    char head[32];
    std::strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &local);
    char frac[16];
    if (digits == 3) std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(nanos / 1000000));
    else std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(nanos));
    const long off = local.tm_gmtoff;
    char zone[40];
    if (off == 0) std::snprintf(zone, sizeof zone, "Z");
    else std::snprintf(zone, sizeof zone, "%c%02ld:%02ld", off < 0 ? '-' : '+', std::labs(off) / 3600, (std::labs(off) % 3600) / 60);
    return std::string(head) + frac + zone;
}

}  // namespace cpa::proxy
