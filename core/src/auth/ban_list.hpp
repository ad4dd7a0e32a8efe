#pragma once
// Failed management attempts per client IP and the resulting bans
// (management-api-core.md §2.5): 5 failures → 30-minute ban; idle entries
// purged after 2 hours (checked at most hourly, lazily on use).
// Every authorised request asks activeBan() and recordSuccess(): with no
// entry at all they take no lock, and for an IP without a ban or failures
// only a shared one.
// A key check that needs bcrypt goes through beginCheck()/finishCheck(): one
// at a time per IP, its failure counted before it starts, so parallel wrong
// keys cannot all be checked before the ban lands (at most kMaxFailures).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace cpa::core {

class BanList {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr int kMaxFailures = 5;
    static constexpr std::chrono::minutes kBanDuration{30};
    static constexpr std::chrono::hours kIdlePurgeAge{2};
    static constexpr std::chrono::hours kPurgeInterval{1};

    /// Remaining ban time if `ip` is banned now. An expired ban is cleared
    /// (and its failure count reset) as a side effect.
    std::optional<Clock::duration> activeBan(const std::string& ip, Clock::time_point now = Clock::now());
    void recordFailure(const std::string& ip, Clock::time_point now = Clock::now());
    void recordSuccess(const std::string& ip);

    /// Starts a key check for `ip`: waits while another check of the same IP
    /// runs, then answers the remaining ban if `ip` is banned (nothing begun),
    /// else counts a failure in advance (banning at the fifth, management-api-core.md §2.5) and
    /// returns nullopt; the caller must then call finishCheck() exactly once.
    std::optional<Clock::duration> beginCheck(const std::string& ip, Clock::time_point now = Clock::now());
    /// Ends a check begun by beginCheck(): a success undoes the failure and
    /// any ban as recordSuccess() does; a failure stays counted.
    void finishCheck(const std::string& ip, bool success);
    std::size_t size() const;

    /// Go's duration text for the remaining time rounded to whole seconds: "29m59s", "59s", "0s".
    static std::string formatRemaining(Clock::duration remaining);

private:
    struct Entry {
        int failures = 0;
        std::optional<Clock::time_point> blockedUntil;
        Clock::time_point lastActivity;
        bool checking = false;  // a beginCheck() is unfinished
    };
    void purgeIfDue(Clock::time_point now);             // caller holds mutex_ exclusively
    static void countFailure(Entry& e, Clock::time_point now);

    mutable std::shared_mutex mutex_;
    std::condition_variable_any checkDone_;  // a check finished (any IP)
    std::unordered_map<std::string, Entry> entries_;
    std::atomic<std::size_t> count_{0};  // entries_.size(), readable without the lock
    Clock::time_point lastPurge_ = Clock::now();
};

}  // namespace cpa::core
