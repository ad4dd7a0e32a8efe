#pragma once
// Usage records applied off the request path (issue 22): the request thread
// converts its `usage.record` event and queues it; one worker applies queued
// records to the store in batches, so request threads neither take the
// store's lock nor build its detail JSON and log line. The worker is not woken
// per record: the first record of a batch wakes it, it gathers for kInterval
// (less when kWakeAt records wait or a reader asks), then applies them all —
// one wake-up per batch, none while idle. Readers call settle() first and see
// every record queued before.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <pthread.h>

namespace cpa::usage {

template <class Item>
class ApplyQueue {
public:
    static constexpr std::chrono::milliseconds kInterval{20};
    static constexpr std::size_t kWakeAt = 256;
    /// Beyond this many waiting records push() applies on the caller's thread
    /// (back-pressure, never a drop).
    static constexpr std::size_t kMaxWaiting = 1u << 16;
    using Apply = std::function<void(std::vector<Item>&)>;

    explicit ApplyQueue(Apply apply) : apply_(std::move(apply)), worker_([this] { run(); }) {}
    ~ApplyQueue() { stop(); }
    ApplyQueue(const ApplyQueue&) = delete;
    ApplyQueue& operator=(const ApplyQueue&) = delete;

    void push(Item item) {
        std::unique_lock lock(mutex_);
        if (stopping_ || waiting_.size() >= kMaxWaiting) {
            // Applied here, in order: what is queued goes first.
            std::vector<Item> batch;
            batch.swap(waiting_);
            batch.push_back(std::move(item));
            const std::uint64_t upTo = ++pushed_;
            std::unique_lock applying(applyMutex_);  // taken under mutex_: batches keep queue order
            lock.unlock();
            apply_(batch);
            applying.unlock();  // before finish(), which takes mutex_
            finish(upTo);
            return;
        }
        waiting_.push_back(std::move(item));
        ++pushed_;
        // The first record ends the worker's idle wait (it then gathers for
        // kInterval); a full batch ends the gathering early.
        if (waiting_.size() == 1 || waiting_.size() == kWakeAt) wake_.notify_one();
    }

    /// Returns once every record pushed before the call is applied.
    void settle() {
        std::unique_lock lock(mutex_);
        const std::uint64_t target = pushed_;
        if (applied_ >= target) return;
        wanted_ = true;
        wake_.notify_one();
        done_.wait(lock, [&] { return applied_ >= target; });
    }

    /// Applies what waits and ends the worker; later pushes apply at once.
    void stop() noexcept {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            stopping_ = true;
        }
        wake_.notify_one();
        if (worker_.joinable()) worker_.join();
    }

private:
    void run() {
        pthread_setname_np(pthread_self(), "cpa-usage");  // its CPU shows apart from the request threads'
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return stopping_ || wanted_ || !waiting_.empty(); });
            wake_.wait_for(lock, kInterval, [&] { return stopping_ || wanted_ || waiting_.size() >= kWakeAt; });
            wanted_ = false;
            if (!waiting_.empty()) {
                std::vector<Item> batch;
                batch.swap(waiting_);
                const std::uint64_t upTo = pushed_;
                std::unique_lock applying(applyMutex_);
                lock.unlock();
                try {
                    apply_(batch);
                } catch (...) {
                    // Only memory can fail here; the batch is lost, the worker lives on.
                }
                applying.unlock();
                finish(upTo);
                lock.lock();
            }
            if (stopping_ && waiting_.empty()) return;
        }
    }

    void finish(std::uint64_t upTo) {
        std::lock_guard lock(mutex_);
        if (upTo > applied_) applied_ = upTo;
        done_.notify_all();
    }

    Apply apply_;
    std::mutex mutex_;
    // Batches apply one at a time, in queue order: taken while mutex_ is
    // held, released before mutex_ is taken again (finish).
    std::mutex applyMutex_;
    std::condition_variable wake_, done_;
    std::vector<Item> waiting_;
    std::uint64_t pushed_ = 0, applied_ = 0;
    bool wanted_ = false, stopping_ = false;
    std::thread worker_;  // last: started once the members above exist
};

}  // namespace cpa::usage
