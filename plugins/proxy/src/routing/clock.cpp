#include "routing/clock.hpp"

#include <algorithm>
#include <thread>

namespace cpa::proxy {

TimePoint SystemClock::now() const { return std::chrono::system_clock::now(); }

void SystemClock::sleepFor(std::chrono::milliseconds d, const std::function<bool()>& stop) {
    constexpr std::chrono::milliseconds kSlice{1000};
    while (d.count() > 0 && !stop()) {
        const auto step = std::min(d, kSlice);
        std::this_thread::sleep_for(step);
        d -= step;
    }
}

}  // namespace cpa::proxy
