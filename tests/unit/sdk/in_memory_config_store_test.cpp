#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/in_memory_config_store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using cpa::sdk::HttpError;
using cpa::sdk::SnapshotPtr;
using cpa::sdk::Value;
using cpa::sdk::testing::InMemoryConfigStore;

TEST(InMemoryConfigStore, StartsWithTheGivenDocumentAtGenerationOne) {
    InMemoryConfigStore empty;
    EXPECT_EQ(empty.snapshot()->root(), Value::object());
    EXPECT_EQ(empty.snapshot()->generation(), 1u);

    InMemoryConfigStore store(Value::object({{"port", 8317}}));
    EXPECT_EQ(store.snapshot()->getInt("port", 0), 8317);
    EXPECT_EQ(cpa::sdk::parseJson(store.snapshot()->text()), store.snapshot()->root());

    InMemoryConfigStore fromNull{Value()};
    EXPECT_TRUE(fromNull.snapshot()->root().isObject());
    EXPECT_THROW(InMemoryConfigStore{Value(Value::Array{})}, std::invalid_argument);
}

TEST(InMemoryConfigStore, UpdatePublishesNewSnapshotAndNotifies) {
    InMemoryConfigStore store(Value::object({{"debug", false}}));
    const SnapshotPtr before = store.snapshot();
    std::vector<std::uint64_t> seen;
    auto sub = store.subscribe([&](const SnapshotPtr& s) { seen.push_back(s->generation()); });

    const SnapshotPtr after = store.update([](Value& root) { root.set("debug", true); });
    EXPECT_EQ(after->generation(), 2u);
    EXPECT_TRUE(after->getBool("debug", false));
    EXPECT_EQ(store.snapshot(), after);
    EXPECT_FALSE(before->getBool("debug", true));  // old snapshots never change
    EXPECT_EQ(seen, std::vector<std::uint64_t>{2});
    EXPECT_EQ(store.writeCount(), 1u);
}

TEST(InMemoryConfigStore, EditThatChangesNothingWritesNothing) {
    InMemoryConfigStore store(Value::object({{"debug", true}}));
    int notified = 0;
    auto sub = store.subscribe([&](const SnapshotPtr&) { ++notified; });
    const SnapshotPtr cur = store.snapshot();
    EXPECT_EQ(store.update([](Value& root) { root.set("debug", true); }), cur);
    EXPECT_EQ(store.snapshot()->generation(), 1u);
    EXPECT_EQ(notified, 0);
    EXPECT_EQ(store.writeCount(), 0u);
}

TEST(InMemoryConfigStore, ThrowingEditAbortsWithNothingPublished) {
    InMemoryConfigStore store(Value::object({{"a", 1}}));
    int notified = 0;
    auto sub = store.subscribe([&](const SnapshotPtr&) { ++notified; });
    EXPECT_THROW(store.update([](Value& root) {
        root.set("a", 2);
        throw HttpError(400, "invalid body");
    }),
                 HttpError);
    EXPECT_EQ(store.snapshot()->getInt("a", 0), 1);
    EXPECT_EQ(store.snapshot()->generation(), 1u);
    EXPECT_EQ(notified, 0);
}

TEST(InMemoryConfigStore, RefusingValidatorBecomesSaveFailure) {
    InMemoryConfigStore store;
    store.addValidator("port", [](const Value& root) {
        const Value* p = root.find("port");
        if (p && (!p->isInt() || p->asInt() < 0)) throw std::invalid_argument("port must be a positive integer");
    });
    store.update([](Value& root) { root.set("port", 80); });
    try {
        store.update([](Value& root) { root.set("port", -1); });
        FAIL() << "validator should refuse";
    } catch (const HttpError& e) {
        EXPECT_EQ(e.status(), 500);
        EXPECT_EQ(e.body(), Value::object({{"error", "failed to save config: port must be a positive integer"}}));
    }
    EXPECT_EQ(store.snapshot()->getInt("port", 0), 80);
    EXPECT_EQ(store.writeCount(), 1u);
}

TEST(InMemoryConfigStore, ValidatorWithSameNameReplacesEarlierOne) {
    InMemoryConfigStore store;
    store.addValidator("v", [](const Value&) { throw std::invalid_argument("old"); });
    store.addValidator("v", [](const Value&) {});
    store.addValidator("w", [](const Value&) {});
    EXPECT_EQ(store.validatorNames(), (std::vector<std::string>{"v", "w"}));
    EXPECT_NO_THROW(store.update([](Value& root) { root.set("x", 1); }));
}

TEST(InMemoryConfigStore, NonObjectDocumentIsRefused) {
    InMemoryConfigStore store(Value::object({{"a", 1}}));
    try {
        store.update([](Value& root) { root = Value(Value::Array{1}); });
        FAIL();
    } catch (const HttpError& e) {
        EXPECT_EQ(e.status(), 500);
        EXPECT_NE(std::string(e.what()).find("failed to save config: "), std::string::npos);
    }
    EXPECT_EQ(store.snapshot()->getInt("a", 0), 1);
}

TEST(InMemoryConfigStore, FailNextWriteFailsOnceAndChangesNothing) {
    InMemoryConfigStore store(Value::object({{"a", 1}}));
    int notified = 0;
    auto sub = store.subscribe([&](const SnapshotPtr&) { ++notified; });
    store.failNextWrite("disk full");
    try {
        store.update([](Value& root) { root.set("a", 2); });
        FAIL();
    } catch (const HttpError& e) {
        EXPECT_EQ(e.status(), 500);
        EXPECT_STREQ(e.what(), "failed to save config: disk full");
        EXPECT_EQ(cpa::sdk::toJson(e.body()), R"({"error":"failed to save config: disk full"})");
    }
    EXPECT_EQ(store.snapshot()->getInt("a", 0), 1);
    EXPECT_EQ(notified, 0);
    EXPECT_EQ(store.writeCount(), 0u);
    // Only the next write fails.
    store.update([](Value& root) { root.set("a", 3); });
    EXPECT_EQ(store.snapshot()->getInt("a", 0), 3);
    EXPECT_EQ(notified, 1);
}

TEST(InMemoryConfigStore, NoOpEditDoesNotConsumeThePendingFailure) {
    InMemoryConfigStore store(Value::object({{"a", 1}}));
    store.failNextWrite();
    store.update([](Value&) {});
    EXPECT_THROW(store.update([](Value& root) { root.set("a", 2); }), HttpError);
}

TEST(InMemoryConfigStore, ReleasingSubscriptionStopsNotifications) {
    InMemoryConfigStore store;
    int a = 0, b = 0;
    auto subA = store.subscribe([&](const SnapshotPtr&) { ++a; });
    auto subB = store.subscribe([&](const SnapshotPtr&) { ++b; });
    EXPECT_EQ(store.subscriberCount(), 2u);
    store.update([](Value& root) { root.set("x", 1); });
    subA.reset();
    EXPECT_EQ(store.subscriberCount(), 1u);
    store.update([](Value& root) { root.set("x", 2); });
    EXPECT_EQ(a, 1);
    EXPECT_EQ(b, 2);
}

TEST(InMemoryConfigStore, ThrowingListenerDoesNotStopOthersOrTheWrite) {
    InMemoryConfigStore store;
    int after = 0;
    auto bad = store.subscribe([](const SnapshotPtr&) { throw std::runtime_error("listener bug"); });
    auto good = store.subscribe([&](const SnapshotPtr&) { ++after; });
    EXPECT_NO_THROW(store.update([](Value& root) { root.set("x", 1); }));
    EXPECT_EQ(after, 1);
    EXPECT_EQ(store.snapshot()->getInt("x", 0), 1);
}

TEST(InMemoryConfigStore, ListenerMayReadTheStore) {
    InMemoryConfigStore store;
    std::int64_t seen = 0;
    auto sub = store.subscribe([&](const SnapshotPtr&) { seen = store.snapshot()->getInt("x", -1); });
    store.update([](Value& root) { root.set("x", 5); });
    EXPECT_EQ(seen, 5);
}

TEST(InMemoryConfigStore, ReloadRunsValidatorsAndPublishes) {
    InMemoryConfigStore store;
    store.addValidator("no-bad", [](const Value& root) {
        if (root.contains("bad")) throw std::invalid_argument("bad key");
    });
    int notified = 0;
    auto sub = store.subscribe([&](const SnapshotPtr&) { ++notified; });
    EXPECT_THROW(store.reload(Value::object({{"bad", 1}})), std::invalid_argument);
    EXPECT_EQ(store.snapshot()->generation(), 1u);
    const SnapshotPtr s = store.reload(Value::object({{"good", 1}}));
    EXPECT_EQ(s->generation(), 2u);
    EXPECT_EQ(notified, 1);
    EXPECT_EQ(store.writeCount(), 0u);  // a reload is not a write
}

TEST(InMemoryConfigStore, ReplaceTextNeedsAParser) {
    InMemoryConfigStore store;
    try {
        store.replaceText("a: 1\n");
        FAIL();
    } catch (const std::logic_error& e) {
        EXPECT_NE(std::string(e.what()).find("not supported by InMemoryConfigStore"), std::string::npos);
    }
}

TEST(InMemoryConfigStore, ReplaceTextWithParser) {
    InMemoryConfigStore store;
    store.setTextParser([](const std::string& text) { return cpa::sdk::parseJson(text); });
    store.addValidator("v", [](const Value& root) {
        if (root.contains("forbidden")) throw std::invalid_argument("forbidden key");
    });
    const SnapshotPtr s = store.replaceText(R"({"a": 1})");
    EXPECT_EQ(s->getInt("a", 0), 1);
    EXPECT_EQ(s->text(), R"({"a": 1})");
    EXPECT_EQ(s->generation(), 2u);
    EXPECT_THROW(store.replaceText("{not json"), std::invalid_argument);
    EXPECT_THROW(store.replaceText(R"({"forbidden": 1})"), std::invalid_argument);
    EXPECT_THROW(store.replaceText("[1]"), std::invalid_argument);
    store.failNextWrite("read-only file system");
    EXPECT_THROW(store.replaceText(R"({"b": 2})"), HttpError);
    EXPECT_EQ(store.snapshot()->getInt("a", 0), 1);
    EXPECT_EQ(store.writeCount(), 1u);
}

TEST(InMemoryConfigStore, ConcurrentUpdatesAreSerialised) {
    InMemoryConfigStore store(Value::object({{"n", 0}}));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 250; ++i) {
                store.update([](Value& root) { root.set("n", root.find("n")->asInt() + 1); });
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(store.snapshot()->getInt("n", 0), 1000);
    EXPECT_EQ(store.snapshot()->generation(), 1001u);
}
