#include "auth/key_verifier.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using cpa::core::KeyVerifier;

namespace {
// Stand-in for bcrypt that counts calls: "hash" is "H:" + plaintext.
struct CountingBcrypt {
    std::atomic<int>* calls;
    bool operator()(const std::string& plain, const std::string& hash) const {
        ++*calls;
        // Slow like the real thing, so concurrent callers really overlap.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return hash == "H:" + plain;
    }
};
}  // namespace

TEST(KeyVerifier, BcryptRunsOncePerDistinctKey) {
    std::atomic<int> calls{0};
    KeyVerifier v(CountingBcrypt{&calls});
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(v.verify("secret", "H:secret"));
    EXPECT_EQ(calls.load(), 1);
    for (int i = 0; i < 10; ++i) EXPECT_FALSE(v.verify("wrong", "H:secret"));
    EXPECT_EQ(calls.load(), 2);
    EXPECT_EQ(v.bcryptCalls(), 2u);
}

TEST(KeyVerifier, ACachedVerdictDiesWithItsSecret) {
    std::atomic<int> calls{0};
    KeyVerifier v(CountingBcrypt{&calls});
    EXPECT_TRUE(v.verify("old", "H:old"));
    EXPECT_FALSE(v.verify("old", "H:new")) << "the old key must not pass against a new hash";
    EXPECT_TRUE(v.verify("new", "H:new"));
    EXPECT_EQ(calls.load(), 3);
}

TEST(KeyVerifier, RejectedMemoryIsBounded) {
    std::atomic<int> calls{0};
    KeyVerifier v(CountingBcrypt{&calls}, 4);
    for (int i = 0; i < 6; ++i) EXPECT_FALSE(v.verify("k" + std::to_string(i), "H:x"));
    EXPECT_EQ(calls.load(), 6);
    EXPECT_FALSE(v.verify("k5", "H:x"));  // still remembered
    EXPECT_EQ(calls.load(), 6);
    EXPECT_FALSE(v.verify("k0", "H:x"));  // evicted: computed again
    EXPECT_EQ(calls.load(), 7);
}

TEST(KeyVerifier, ConcurrentVerificationsAgree) {
    std::atomic<int> calls{0};
    KeyVerifier v(CountingBcrypt{&calls});
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (v.verify("secret", "H:secret")) ++ok;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1600);
    EXPECT_EQ(calls.load(), 1) << "racing threads share one bcrypt (single flight)";
}
