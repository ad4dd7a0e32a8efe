// The cache-hit paths of the management guard's helpers (a hit hashes
// nothing and takes no exclusive lock): they must decide exactly as the
// slow path would.
#include "auth/ban_list.hpp"
#include "auth/key_verifier.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

using cpa::core::BanList;
using cpa::core::KeyVerifier;
using namespace std::chrono_literals;

namespace {

// "bcrypt": the hash is "H:" + plaintext; counts calls, optionally slow.
KeyVerifier::BcryptFn countingBcrypt(std::atomic<int>& calls, std::chrono::milliseconds delay = 0ms) {
    return [&calls, delay](const std::string& plain, const std::string& hash) {
        ++calls;
        std::this_thread::sleep_for(delay);
        return hash == "H:" + plain;
    };
}

}  // namespace

TEST(KeyVerifierFastPath, OnlyTheExactAcceptedKeyHitsTheCache) {
    std::atomic<int> calls{0};
    KeyVerifier v(countingBcrypt(calls));
    ASSERT_TRUE(v.verify("secret", "H:secret"));
    EXPECT_TRUE(v.verify("secret", "H:secret"));
    EXPECT_EQ(calls.load(), 1);
    // Prefixes, extensions and near misses are never taken for the cached key.
    for (const std::string& wrong : std::vector<std::string>{"", "s", "secre", "secretx", "secret\n", std::string("secret\0", 7), "Secret", "secreT", "xecret", " secret"}) {
        EXPECT_FALSE(v.verify(wrong, "H:secret")) << "[" << wrong << "]";
    }
    EXPECT_EQ(calls.load(), 11) << "each wrong key went to bcrypt once";
    EXPECT_TRUE(v.verify("secret", "H:secret"));
    EXPECT_EQ(calls.load(), 11);
}

TEST(KeyVerifierFastPath, ANewAcceptedKeyReplacesTheOldOne) {
    std::atomic<int> calls{0};
    KeyVerifier v(countingBcrypt(calls));
    ASSERT_TRUE(v.verify("first-key", "H:first-key"));
    ASSERT_TRUE(v.verify("second", "H:second"));  // the secret changed
    EXPECT_FALSE(v.verify("first-key", "H:second"));
    EXPECT_TRUE(v.verify("second", "H:second"));
    EXPECT_EQ(calls.load(), 3);
}

TEST(KeyVerifierFastPath, HitsAreServedWhileABcryptIsInFlight) {
    std::atomic<int> calls{0};
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    KeyVerifier v([&calls, gate](const std::string& plain, const std::string& hash) {
        ++calls;
        if (plain == "guess") gate.wait();  // a bcrypt that lasts until the test says so
        return hash == "H:" + plain;
    });
    ASSERT_TRUE(v.verify("secret", "H:secret"));
    auto slow = std::async(std::launch::async, [&v] { return v.verify("guess", "H:secret"); });
    while (calls.load() < 2) std::this_thread::sleep_for(1ms);
    auto hits = std::async(std::launch::async, [&v] {
        int ok = 0;
        for (int i = 0; i < 100; ++i) ok += v.verify("secret", "H:secret") ? 1 : 0;
        return ok;
    });
    const bool hitsDone = hits.wait_for(5s) == std::future_status::ready;
    release.set_value();
    EXPECT_TRUE(hitsDone) << "a cache hit waited for someone else's bcrypt";
    EXPECT_EQ(hits.get(), 100);
    EXPECT_FALSE(slow.get());
    EXPECT_EQ(calls.load(), 2);
}

TEST(BanListFastPath, SuccessForAnUnknownIpCreatesNothingAndResetsNobodyElse) {
    BanList bans;
    const auto t0 = BanList::Clock::now();
    bans.recordSuccess("10.0.0.9");
    EXPECT_EQ(bans.size(), 0u);
    EXPECT_FALSE(bans.activeBan("10.0.0.9", t0));
    for (int i = 0; i < 4; ++i) bans.recordFailure("10.0.0.1", t0);
    bans.recordSuccess("10.0.0.2");  // another IP: 10.0.0.1 keeps its four failures
    EXPECT_EQ(bans.size(), 1u);
    bans.recordFailure("10.0.0.1", t0);
    EXPECT_TRUE(bans.activeBan("10.0.0.1", t0));
    EXPECT_FALSE(bans.activeBan("10.0.0.2", t0));
}

TEST(BanListFastPath, ABanIsSeenRightAfterTheFailureThatCausedIt) {
    BanList bans;
    const auto t0 = BanList::Clock::now();
    std::atomic<bool> stop{false};
    // Readers on the lock-free and shared paths while the failures arrive.
    std::thread reader([&] {
        while (!stop) (void)bans.activeBan("10.0.0.5", t0);
    });
    for (int i = 0; i < BanList::kMaxFailures; ++i) bans.recordFailure("10.0.0.5", t0);
    EXPECT_TRUE(bans.activeBan("10.0.0.5", t0));
    stop = true;
    reader.join();
    // An expired ban is cleared (the exclusive path) and the count restarts.
    EXPECT_FALSE(bans.activeBan("10.0.0.5", t0 + BanList::kBanDuration + 1ms));
    for (int i = 0; i < BanList::kMaxFailures - 1; ++i) bans.recordFailure("10.0.0.5", t0 + 31min);
    EXPECT_FALSE(bans.activeBan("10.0.0.5", t0 + 31min));
}

TEST(BanListFastPath, SuccessLiftsNoActiveBanButResetsFailures) {
    BanList bans;
    const auto t0 = BanList::Clock::now();
    for (int i = 0; i < 3; ++i) bans.recordFailure("::1", t0);
    bans.recordSuccess("::1");
    for (int i = 0; i < 4; ++i) bans.recordFailure("::1", t0);
    EXPECT_FALSE(bans.activeBan("::1", t0)) << "the success reset the count (3 + 4 would have banned)";
}
