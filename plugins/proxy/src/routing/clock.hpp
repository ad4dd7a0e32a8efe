#pragma once
// Time for cooldowns and retry waits, injectable so tests can step through
// 30-minute and 12-hour cooldowns without waiting.
#include <chrono>

namespace cpa::proxy {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    /// Waits (the retry loop of §6.9).
    virtual void sleepFor(std::chrono::milliseconds d) = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override;
    void sleepFor(std::chrono::milliseconds d) override;
};

}  // namespace cpa::proxy
