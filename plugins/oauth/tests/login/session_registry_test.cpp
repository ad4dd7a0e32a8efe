#include "login/session_registry.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace cpa::oauth::login;
using namespace std::chrono_literals;

namespace {

struct ManualClock {
    std::chrono::steady_clock::time_point now{std::chrono::steady_clock::now()};
    SessionRegistry::Clock fn() {
        return [this] { return now; };
    }
};

const std::string kState = "0123456789abcdef0123456789abcdef";

}  // namespace

TEST(LoginSessions, PendingUntilTtlThenGone) {
    ManualClock clock;
    SessionRegistry reg(clock.fn());
    reg.registerSession(kState, "Anthropic", 10min);
    auto s = reg.get(kState);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->provider, "anthropic");
    EXPECT_EQ(s->status, SessionStatus::Pending);
    EXPECT_TRUE(reg.isPending(kState, "ANTHROPIC"));
    EXPECT_FALSE(reg.isPending(kState, "codex"));
    clock.now += 10min;
    EXPECT_TRUE(reg.get(kState));  // expires strictly after the TTL
    clock.now += 1ms;
    EXPECT_FALSE(reg.get(kState));
    EXPECT_FALSE(reg.isPending(kState));
    EXPECT_EQ(reg.deliver(kState, "anthropic", {}), DeliverResult::Unknown);
}

TEST(LoginSessions, ErrorResetsExpiryAndBlankMessageDefaults) {
    ManualClock clock;
    SessionRegistry reg(clock.fn());
    reg.registerSession(kState, "codex", 10min);
    clock.now += 9min;
    reg.setError(kState, "  ", 10min);
    clock.now += 9min;  // 18 min after registration, 9 after the error
    auto s = reg.get(kState);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->status, SessionStatus::Error);
    EXPECT_EQ(s->error, "Authentication failed");
    EXPECT_FALSE(reg.isPending(kState));
    clock.now += 2min;
    EXPECT_FALSE(reg.get(kState));
    reg.setError("unknown", "x", 10min);  // no-op
    EXPECT_FALSE(reg.get("unknown"));
}

TEST(LoginSessions, CompletedIsReportedForItsOwnTtlOnly) {
    ManualClock clock;
    SessionRegistry reg(clock.fn());
    reg.registerSession(kState, "gemini", 10min);
    reg.registerSession("other", "gemini", 10min);
    reg.complete(kState, 1min);
    EXPECT_EQ(reg.get(kState)->status, SessionStatus::Completed);
    EXPECT_TRUE(reg.isPending("other", "gemini"));  // only the flow's own state completes
    EXPECT_EQ(reg.deliver(kState, "gemini", {}), DeliverResult::NotPending);
    clock.now += 61s;
    EXPECT_FALSE(reg.get(kState));
    EXPECT_TRUE(reg.get("other"));
}

TEST(LoginSessions, FirstCallbackWinsAndProviderMustMatch) {
    SessionRegistry reg;
    reg.registerSession(kState, "antigravity", 10min);
    EXPECT_EQ(reg.deliver(kState, "codex", {"c", kState, ""}), DeliverResult::ProviderMismatch);
    EXPECT_EQ(reg.deliver(kState, "antigravity", {"first", kState, ""}), DeliverResult::Delivered);
    EXPECT_EQ(reg.deliver(kState, "antigravity", {"second", kState, ""}), DeliverResult::NotPending);
    EXPECT_FALSE(reg.isPending(kState));
    CallbackPayload p;
    EXPECT_EQ(reg.waitForCallback(kState, 1s, p), WaitOutcome::Callback);
    EXPECT_EQ(p.code, "first");
    EXPECT_EQ(reg.get(kState)->status, SessionStatus::Pending);  // still "wait" while processed
}

TEST(LoginSessions, WaitWakesOnDeliveryTimesOutAndStopsWhenNotPending) {
    SessionRegistry reg;
    reg.registerSession(kState, "codex", 10min);
    CallbackPayload p;
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(reg.waitForCallback(kState, 150ms, p), WaitOutcome::Timeout);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);

    std::thread deliverer([&] {
        std::this_thread::sleep_for(50ms);
        reg.deliver(kState, "codex", {"abc", kState, ""});
    });
    EXPECT_EQ(reg.waitForCallback(kState, 5s, p), WaitOutcome::Callback);
    deliverer.join();
    EXPECT_EQ(p.code, "abc");

    reg.registerSession("s2", "codex", 10min);
    std::thread failer([&] {
        std::this_thread::sleep_for(50ms);
        reg.setError("s2", "boom", 10min);
    });
    EXPECT_EQ(reg.waitForCallback("s2", 5s, p), WaitOutcome::NotPending);
    failer.join();
}

TEST(LoginSessions, ExpiryEndsAWaitWithTheInjectedClock) {
    ManualClock clock;
    SessionRegistry reg(clock.fn());
    reg.registerSession(kState, "codex", 1min);
    clock.now += 2min;
    CallbackPayload p;
    EXPECT_EQ(reg.waitForCallback(kState, 5s, p), WaitOutcome::NotPending);
}

TEST(LoginSessions, CancelAllWakesWaiters) {
    SessionRegistry reg;
    reg.registerSession(kState, "codex", 10min);
    std::thread canceller([&] {
        std::this_thread::sleep_for(50ms);
        reg.cancelAll();
    });
    CallbackPayload p;
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(reg.waitForCallback(kState, 10s, p), WaitOutcome::NotPending);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    canceller.join();
}

TEST(LoginSessions, TouchExtendsPendingSessions) {
    ManualClock clock;
    SessionRegistry reg(clock.fn());
    reg.registerSession(kState, "kimi", 10min);
    clock.now += 9min;
    reg.touch(kState, 10min);
    clock.now += 9min;
    EXPECT_TRUE(reg.isPending(kState, "kimi"));
}
