#include "auth/ban_list.hpp"

namespace cpa::core {

std::optional<BanList::Clock::duration> BanList::activeBan(const std::string& ip, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    purgeIfDue(now);
    auto it = entries_.find(ip);
    if (it == entries_.end() || !it->second.blockedUntil) return std::nullopt;
    if (now < *it->second.blockedUntil) return *it->second.blockedUntil - now;
    it->second.blockedUntil.reset();
    it->second.failures = 0;
    return std::nullopt;
}

void BanList::recordFailure(const std::string& ip, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    Entry& e = entries_[ip];
    e.failures += 1;
    e.lastActivity = now;
    if (e.failures >= kMaxFailures) {
        e.blockedUntil = now + kBanDuration;
        e.failures = 0;
    }
}

void BanList::recordSuccess(const std::string& ip) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(ip);
    if (it == entries_.end()) return;
    it->second.failures = 0;
    it->second.blockedUntil.reset();
}

std::size_t BanList::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

void BanList::purgeIfDue(Clock::time_point now) {
    if (now - lastPurge_ < kPurgeInterval) return;
    lastPurge_ = now;
    for (auto it = entries_.begin(); it != entries_.end();) {
        const Entry& e = it->second;
        bool banned = e.blockedUntil && now < *e.blockedUntil;
        if (!banned && now - e.lastActivity > kIdlePurgeAge) {
            it = entries_.erase(it);
        } else {
            ++it;
        }
    }
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
