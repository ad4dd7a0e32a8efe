#include "http/http_date.hpp"

#include <cstdio>
#include <ctime>

namespace cpa::core {

namespace {

struct CachedDate {
    std::time_t second = -1;
    char text[40] = {};
    int length = 0;
};
thread_local CachedDate tDate;

}  // namespace

std::string_view httpDateNow() {
    const std::time_t now = std::time(nullptr);
    if (now != tDate.second) {
        static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        std::tm t{};
        gmtime_r(&now, &t);
        const int n = std::snprintf(tDate.text, sizeof tDate.text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                    kDays[t.tm_wday % 7], t.tm_mday, kMonths[t.tm_mon % 12], t.tm_year + 1900,
                                    t.tm_hour, t.tm_min, t.tm_sec);
        tDate.length = n > 0 && n < static_cast<int>(sizeof tDate.text) ? n : 0;
        tDate.second = now;
    }
    return {tDate.text, static_cast<std::size_t>(tDate.length)};
}

}  // namespace cpa::core
