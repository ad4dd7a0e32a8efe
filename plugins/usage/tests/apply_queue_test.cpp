// Usage records applied off the request path: order, visibility on settle(),
// nothing lost on stop or when the worker falls behind.
#include "apply_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace cpa::usage {
namespace {

struct Applied {
    std::mutex mutex;
    std::vector<int> items;
    std::vector<std::thread::id> threads;
    std::size_t size() {
        std::lock_guard lock(mutex);
        return items.size();
    }
};

TEST(ApplyQueue, SettleSeesEveryPushedItemInOrderAppliedOffTheCallersThread) {
    Applied applied;
    ApplyQueue<int> queue([&](std::vector<int>& batch) {
        std::lock_guard lock(applied.mutex);
        for (int v : batch) applied.items.push_back(v);
        applied.threads.push_back(std::this_thread::get_id());
    });
    for (int i = 0; i < 1000; ++i) queue.push(i);
    queue.settle();
    ASSERT_EQ(applied.size(), 1000u);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(applied.items[static_cast<std::size_t>(i)], i);
    for (const auto& id : applied.threads) EXPECT_NE(id, std::this_thread::get_id());
    queue.settle();  // nothing new: returns at once
    queue.push(1000);
    queue.stop();
    EXPECT_EQ(applied.size(), 1001u) << "stop applies what waits";
    queue.push(1001);
    EXPECT_EQ(applied.size(), 1002u) << "after stop a push applies at once";
}

TEST(ApplyQueue, AWorkerThatFallsBehindMakesPushersApplyInOrderNeverDrop) {
    std::atomic<bool> entered{false}, release{false};
    Applied applied;
    ApplyQueue<int> queue([&](std::vector<int>& batch) {
        entered.store(true);
        while (!release.load()) std::this_thread::yield();  // the worker is stuck on its first batch
        std::lock_guard lock(applied.mutex);
        for (int v : batch) applied.items.push_back(v);
    });
    queue.push(0);
    while (!entered.load()) std::this_thread::yield();
    // kMaxWaiting records wait; the next push would apply on its own thread
    // and waits for the stuck batch, which goes first.
    const int total = static_cast<int>(ApplyQueue<int>::kMaxWaiting) + 10;
    std::thread pusher([&] {
        for (int i = 1; i <= total; ++i) queue.push(i);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    release.store(true);
    pusher.join();
    queue.settle();
    ASSERT_EQ(applied.size(), static_cast<std::size_t>(total) + 1);
    for (int i = 0; i <= total; ++i) ASSERT_EQ(applied.items[static_cast<std::size_t>(i)], i) << i;
}

TEST(ApplyQueue, ConcurrentPushersLoseNothing) {
    Applied applied;
    ApplyQueue<int> queue([&](std::vector<int>& batch) {
        std::lock_guard lock(applied.mutex);
        for (int v : batch) applied.items.push_back(v);
    });
    std::vector<std::thread> pushers;
    for (int t = 0; t < 4; ++t)
        pushers.emplace_back([&, t] {
            for (int i = 0; i < 5000; ++i) queue.push(t * 5000 + i);
        });
    for (auto& p : pushers) p.join();
    queue.settle();
    std::vector<int> seen = applied.items;
    std::sort(seen.begin(), seen.end());
    ASSERT_EQ(seen.size(), 20000u);
    for (int i = 0; i < 20000; ++i) ASSERT_EQ(seen[static_cast<std::size_t>(i)], i);
}

}  // namespace
}  // namespace cpa::usage
