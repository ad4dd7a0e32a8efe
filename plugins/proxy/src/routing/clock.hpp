#pragma once
// Time for cooldowns and retry waits, injectable so tests can step through
// 30-minute and 12-hour cooldowns without waiting.
#include <chrono>
#include <functional>

namespace cpa::proxy {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    /// Waits `d` (the retry loop of data-plane.md §6.9), or less once `stop()` turns true
    /// (asked about once a second): the wait ends when the client hangs up.
    virtual void sleepFor(std::chrono::milliseconds d, const std::function<bool()>& stop) = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override;
    void sleepFor(std::chrono::milliseconds d, const std::function<bool()>& stop) override;
};

}  // namespace cpa::proxy
