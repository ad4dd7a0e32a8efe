#include "runtime/event_bus.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

using cpa::core::EventBus;
using cpa::sdk::Value;

TEST(EventBus, DeliversToSubscribersOfTheTopicOnly) {
    EventBus bus;
    std::vector<std::string> got;
    auto a = bus.subscribe("request.completed", [&](const Value& v) { got.push_back("a:" + v.asString()); });
    auto b = bus.subscribe("request.completed", [&](const Value& v) { got.push_back("b:" + v.asString()); });
    auto other = bus.subscribe("other", [&](const Value&) { got.push_back("other"); });
    bus.publish("request.completed", Value("r1"));
    bus.publish("nobody.listens", Value("x"));
    EXPECT_EQ(got, (std::vector<std::string>{"a:r1", "b:r1"}));
    EXPECT_EQ(bus.subscriberCount("request.completed"), 2u);
}

TEST(EventBus, ReleasingTheHandleUnsubscribes) {
    EventBus bus;
    int calls = 0;
    auto handle = bus.subscribe("t", [&](const Value&) { ++calls; });
    auto copy = handle;
    bus.publish("t", Value(1));
    handle.reset();
    bus.publish("t", Value(2));  // a copy still holds the subscription
    copy.reset();
    bus.publish("t", Value(3));
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(bus.subscriberCount("t"), 0u);
}

TEST(EventBus, ListenerExceptionsAreLoggedAndSwallowed) {
    cpa::loader_test::LogCapture log;
    EventBus bus;
    int later = 0;
    auto bad = bus.subscribe("t", [](const Value&) { throw std::runtime_error("listener broke"); });
    auto worse = bus.subscribe("t", [](const Value&) { throw 42; });
    auto good = bus.subscribe("t", [&](const Value&) { ++later; });
    EXPECT_NO_THROW(bus.publish("t", Value()));
    EXPECT_EQ(later, 1);
    EXPECT_TRUE(log.contains("event listener for 't' failed: listener broke"));
    EXPECT_TRUE(log.contains("event listener for 't' failed: unknown exception"));
}

TEST(EventBus, ListenersMayUnsubscribeThemselvesAndPublishAgain) {
    EventBus bus;
    int selfCalls = 0;
    int nested = 0;
    std::shared_ptr<void> self;
    self = bus.subscribe("t", [&](const Value&) {
        ++selfCalls;
        self.reset();  // drops its own subscription while being delivered
    });
    auto relay = bus.subscribe("t", [&](const Value& v) {
        if (v.asInt() == 1) bus.publish("t", Value(2));
    });
    auto count = bus.subscribe("t", [&](const Value& v) {
        if (v.asInt() == 2) ++nested;
    });
    bus.publish("t", Value(1));
    bus.publish("t", Value(1));
    EXPECT_EQ(selfCalls, 1);
    EXPECT_EQ(nested, 2);
}

TEST(EventBus, ReleaseWaitsForADeliveryInProgress) {
    EventBus bus;
    std::promise<void> entered;
    std::promise<void> proceed;
    auto proceedFuture = proceed.get_future().share();
    std::atomic<bool> listenerDone{false};
    auto handle = bus.subscribe("t", [&](const Value&) {
        entered.set_value();
        proceedFuture.wait();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        listenerDone = true;
    });
    std::thread publisher([&] { bus.publish("t", Value()); });
    entered.get_future().wait();
    std::atomic<bool> released{false};
    std::thread releaser([&] {
        handle.reset();
        released = true;
        EXPECT_TRUE(listenerDone.load()) << "handle released while its listener was still running";
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(released.load());
    proceed.set_value();
    releaser.join();
    publisher.join();
    EXPECT_TRUE(released.load());
}

TEST(EventBus, ConcurrentPublishAndSubscribe) {
    EventBus bus;
    std::atomic<long> delivered{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> publishers;
    for (int t = 0; t < 3; ++t) {
        publishers.emplace_back([&] {
            while (!stop) bus.publish("t", Value(1));
        });
    }
    for (int i = 0; i < 300; ++i) {
        auto h = bus.subscribe("t", [&](const Value&) { ++delivered; });
        if (i % 2 == 0) std::this_thread::yield();
    }
    auto last = bus.subscribe("t", [&](const Value&) { ++delivered; });
    const long before = delivered.load();
    while (delivered.load() == before) std::this_thread::yield();
    stop = true;
    for (auto& th : publishers) th.join();
    EXPECT_EQ(bus.subscriberCount("t"), 1u);
}

TEST(EventBus, HandlesOutliveTheBus) {
    std::shared_ptr<void> handle;
    {
        EventBus bus;
        handle = bus.subscribe("t", [](const Value&) {});
    }
    handle.reset();  // must not touch the destroyed bus
    SUCCEED();
}
