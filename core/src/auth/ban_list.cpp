#include "auth/ban_list.hpp"

#include <mutex>

namespace cpa::core {

std::optional<BanList::Clock::duration> BanList::activeBan(const std::string& ip, Clock::time_point now) {
    // No entry at all (the normal case): nothing to purge, nobody banned.
    if (count_.load(std::memory_order_acquire) == 0) return std::nullopt;
    {
        std::shared_lock lock(mutex_);
        if (now - lastPurge_ < kPurgeInterval) {
            auto it = entries_.find(ip);
            if (it == entries_.end() || !it->second.blockedUntil) return std::nullopt;
            if (now < *it->second.blockedUntil) return *it->second.blockedUntil - now;
        }
        // A purge is due or the ban expired: both change the map.
    }
    std::unique_lock lock(mutex_);
    purgeIfDue(now);
    auto it = entries_.find(ip);
    if (it == entries_.end() || !it->second.blockedUntil) return std::nullopt;
    if (now < *it->second.blockedUntil) return *it->second.blockedUntil - now;
    it->second.blockedUntil.reset();
    it->second.failures = 0;
    return std::nullopt;
}

void BanList::recordFailure(const std::string& ip, Clock::time_point now) {
    std::unique_lock lock(mutex_);
    Entry& e = entries_[ip];
    count_.store(entries_.size(), std::memory_order_release);
    countFailure(e, now);
}

void BanList::countFailure(Entry& e, Clock::time_point now) {
    e.failures += 1;
    e.lastActivity = now;
    if (e.failures >= kMaxFailures) {
        e.blockedUntil = now + kBanDuration;
        e.failures = 0;
    }
}

std::optional<BanList::Clock::duration> BanList::beginCheck(const std::string& ip, Clock::time_point now) {
    std::unique_lock lock(mutex_);
    purgeIfDue(now);
    for (;;) {
        // Looked up again after every wait: a purge may have replaced the entry.
        Entry& e = entries_[ip];
        count_.store(entries_.size(), std::memory_order_release);
        if (e.checking) {
            checkDone_.wait(lock);
            continue;
        }
        if (e.blockedUntil) {
            if (now < *e.blockedUntil) return *e.blockedUntil - now;
            e.blockedUntil.reset();
            e.failures = 0;
        }
        e.checking = true;
        countFailure(e, now);
        return std::nullopt;
    }
}

void BanList::finishCheck(const std::string& ip, bool success) {
    {
        std::unique_lock lock(mutex_);
        auto it = entries_.find(ip);
        if (it != entries_.end()) {
            it->second.checking = false;
            if (success) {
                it->second.failures = 0;
                it->second.blockedUntil.reset();
            }
        }
    }
    checkDone_.notify_all();
}

void BanList::recordSuccess(const std::string& ip) {
    if (count_.load(std::memory_order_acquire) == 0) return;
    {
        std::shared_lock lock(mutex_);
        auto it = entries_.find(ip);
        if (it == entries_.end() || (it->second.failures == 0 && !it->second.blockedUntil)) return;
    }
    std::unique_lock lock(mutex_);
    auto it = entries_.find(ip);
    if (it == entries_.end()) return;
    it->second.failures = 0;
    it->second.blockedUntil.reset();
}

std::size_t BanList::size() const {
    std::shared_lock lock(mutex_);
    return entries_.size();
}

void BanList::purgeIfDue(Clock::time_point now) {
    if (now - lastPurge_ < kPurgeInterval) return;
    lastPurge_ = now;
    for (auto it = entries_.begin(); it != entries_.end();) {
        const Entry& e = it->second;
        bool banned = e.blockedUntil && now < *e.blockedUntil;
        if (!banned && !e.checking && now - e.lastActivity > kIdlePurgeAge) {
            it = entries_.erase(it);
        } else {
            ++it;
        }
    }
    count_.store(entries_.size(), std::memory_order_release);
}

std::string BanList::formatRemaining(Clock::duration remaining) {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(remaining).count();
    if (ms < 0) ms = 0;
    long long secs = (ms + 500) / 1000;
    long long minutes = secs / 60;
    long long s = secs % 60;
    if (minutes == 0) return std::to_string(s) + "s";
    return std::to_string(minutes) + "m" + std::to_string(s) + "s";
}

}  // namespace cpa::core
