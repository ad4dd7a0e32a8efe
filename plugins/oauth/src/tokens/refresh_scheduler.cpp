#include "tokens/refresh_scheduler.hpp"

#include "time_values.hpp"

#include <algorithm>
#include <chrono>

namespace cpa::oauth {

RefreshScheduler::RefreshScheduler(std::shared_ptr<FileCredentialStore> store, std::shared_ptr<TokenService> tokens,
                                   sdk::Logger& logger, std::size_t workers, NowFn now)
    : store_(std::move(store)),
      tokens_(std::move(tokens)),
      logger_(logger),
      maxWorkers_(std::max<std::size_t>(1, workers)),
      now_(now ? std::move(now) : NowFn(nowNs)) {}

RefreshScheduler::~RefreshScheduler() { stop(); }

void RefreshScheduler::start() {
    std::lock_guard lock(m_);
    if (running_) return;
    running_ = true;
    stopping_ = false;
    dirty_ = true;
    jobs_.clear();
    pending_.clear();
    cancel_ = std::make_unique<CancelToken>();
    thread_ = std::thread([this] { run(); });
    // Every change of the file set (uploads, edits, refreshes written back) reschedules.
    storeSubscription_ = store_->subscribe([this]() noexcept { poke(); });
}

void RefreshScheduler::stop() noexcept {
    std::vector<std::thread> workers;
    std::thread scheduler;
    {
        std::lock_guard lock(m_);
        if (!running_) return;
        stopping_ = true;
        if (cancel_) cancel_->cancel();  // cuts the token endpoint calls in flight
        wake_.notify_all();
        jobsReady_.notify_all();
        workers.swap(workers_);
        scheduler.swap(thread_);
    }
    storeSubscription_.reset();  // waits for a poke in progress
    for (std::thread& t : workers)
        if (t.joinable()) t.join();
    if (scheduler.joinable()) scheduler.join();
    std::lock_guard lock(m_);
    running_ = false;
    idle_ = 0;
    jobs_.clear();
    pending_.clear();
}

std::int64_t RefreshScheduler::attempts() const {
    std::lock_guard lock(m_);
    return attempts_;
}

void RefreshScheduler::poke() {
    std::lock_guard lock(m_);
    dirty_ = true;
    wake_.notify_all();
}

void RefreshScheduler::run() {
    std::unique_lock lock(m_);
    while (!stopping_) {
        dirty_ = false;
        lock.unlock();
        // The schedule is recomputed from the store: a handful of files, and
        // only on a change, a finished refresh or a due time.
        std::vector<std::pair<std::string, std::int64_t>> candidates;
        try {
            for (const StoredPtr& rec : store_->records())
                if (auto due = tokens_->backgroundDueNs(*rec)) candidates.emplace_back(rec->id, *due);
        } catch (const std::exception& e) {
            logger_.warning(std::string("oauth: refresh schedule: ") + e.what());
        }
        const std::int64_t now = now_();  // after the due times, which were computed against an earlier now
        std::int64_t next = now + kMaxSleepNs;
        lock.lock();
        if (stopping_) break;
        for (auto& [id, due] : candidates) {
            if (pending_.count(id)) continue;  // its end wakes us again
            if (const auto nb = notBefore_.find(id); nb != notBefore_.end()) due = std::max(due, nb->second);
            if (due > now) {
                next = std::min(next, due);
                continue;
            }
            pending_.insert(id);
            notBefore_[id] = now + kRetrySpacingNs;
            jobs_.push_back(id);
            if (idle_ == 0 && workers_.size() < maxWorkers_) {
                ++idle_;
                workers_.emplace_back([this] { work(); });
            }
            jobsReady_.notify_one();
        }
        // Forget the spacing of files that no longer exist.
        if (notBefore_.size() > candidates.size() + pending_.size())
            std::erase_if(notBefore_, [&](const auto& kv) {
                return !pending_.count(kv.first) &&
                       std::none_of(candidates.begin(), candidates.end(),
                                    [&](const auto& c) { return c.first == kv.first; });
            });
        const auto sleep = std::chrono::nanoseconds(std::clamp<std::int64_t>(next - now, 1'000'000, kMaxSleepNs));
        wake_.wait_for(lock, sleep, [this] { return stopping_ || dirty_; });
    }
}

void RefreshScheduler::work() {
    std::unique_lock lock(m_);
    for (;;) {
        jobsReady_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (stopping_) return;
        const std::string id = std::move(jobs_.front());
        jobs_.pop_front();
        --idle_;
        CancelToken* cancel = cancel_.get();
        lock.unlock();
        bool attempted = false;
        try {
            attempted = tokens_->refreshInBackground(id, cancel);
        } catch (const std::exception& e) {
            logger_.warning("oauth: background refresh of " + id + ": " + e.what());
        } catch (...) {
        }
        lock.lock();
        if (attempted) ++attempts_;
        ++idle_;
        pending_.erase(id);
        dirty_ = true;
        wake_.notify_all();
    }
}

}  // namespace cpa::oauth
