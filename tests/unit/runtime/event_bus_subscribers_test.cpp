// Events::hasSubscribers (SDK 1.2): the bus answers per topic and follows
// subscriptions as they come and go; the SDK default stays conservative.
#include "runtime/event_bus.hpp"

#include <cpa/sdk/services.hpp>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using cpa::core::EventBus;
using cpa::sdk::Value;

namespace {

// An Events implementation written against SDK 1.1: it does not know the
// new question, so the default must never make a publisher drop a record.
class OldEvents final : public cpa::sdk::Events {
public:
    std::shared_ptr<void> subscribe(std::string, Listener) override { return nullptr; }
    void publish(std::string_view, const Value&) override {}
};

}  // namespace

TEST(EventBusSubscribers, FollowsSubscribeAndRelease) {
    EventBus bus;
    const cpa::sdk::Events& events = bus;  // called through the SDK interface, as modules do
    EXPECT_FALSE(events.hasSubscribers("request.completed"));
    auto a = bus.subscribe("request.completed", [](const Value&) {});
    EXPECT_TRUE(events.hasSubscribers("request.completed"));
    EXPECT_FALSE(events.hasSubscribers("usage.record"));
    auto b = bus.subscribe("request.completed", [](const Value&) {});
    auto u = bus.subscribe("usage.record", [](const Value&) {});
    EXPECT_TRUE(events.hasSubscribers("usage.record"));
    a.reset();
    EXPECT_TRUE(events.hasSubscribers("request.completed"));  // b still listens
    b.reset();
    EXPECT_FALSE(events.hasSubscribers("request.completed"));
    EXPECT_TRUE(events.hasSubscribers("usage.record"));
    u.reset();
    EXPECT_FALSE(events.hasSubscribers("usage.record"));
}

TEST(EventBusSubscribers, ClearLeavesNoSubscribers) {
    EventBus bus;
    auto a = bus.subscribe("t", [](const Value&) {});
    bus.clear();
    EXPECT_FALSE(bus.hasSubscribers("t"));
    a.reset();  // an outstanding handle released after clear() changes nothing
    EXPECT_FALSE(bus.hasSubscribers("t"));
    auto again = bus.subscribe("t", [](const Value&) {});
    EXPECT_TRUE(bus.hasSubscribers("t"));
}

TEST(EventBusSubscribers, ListenerDroppingItselfIsSeenAtOnce) {
    EventBus bus;
    std::shared_ptr<void> self;
    bool seenInside = true;
    self = bus.subscribe("t", [&](const Value&) {
        self.reset();
        seenInside = bus.hasSubscribers("t");
    });
    bus.publish("t", Value(1));
    EXPECT_FALSE(seenInside);
    EXPECT_FALSE(bus.hasSubscribers("t"));
}

TEST(EventBusSubscribers, ConcurrentSubscriptionsBalanceOut) {
    EventBus bus;
    auto keep = bus.subscribe("kept", [](const Value&) {});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&bus, t] {
            for (int i = 0; i < 200; ++i) {
                auto h = bus.subscribe(t % 2 ? "odd" : "even", [](const Value&) {});
                bus.publish("kept", Value(i));
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_FALSE(bus.hasSubscribers("odd"));
    EXPECT_FALSE(bus.hasSubscribers("even"));
    EXPECT_TRUE(bus.hasSubscribers("kept"));
    keep.reset();
    EXPECT_FALSE(bus.hasSubscribers("kept"));
}

TEST(EventBusSubscribers, SdkDefaultAssumesAListener) {
    OldEvents old;
    EXPECT_TRUE(old.hasSubscribers("request.completed"));
}
