#include "routing/clock.hpp"

#include <thread>

namespace cpa::proxy {

TimePoint SystemClock::now() const { return std::chrono::system_clock::now(); }

void SystemClock::sleepFor(std::chrono::milliseconds d) {
    if (d.count() > 0) std::this_thread::sleep_for(d);
}

}  // namespace cpa::proxy
