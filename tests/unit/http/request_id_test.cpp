#include "http/request_id.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

namespace cpa::core {
namespace {

bool isLowerHex16(const std::string& s) {
    if (s.size() != 16) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

TEST(RequestId, Format) {
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(isLowerHex16(newRequestId()));
}

TEST(RequestId, UniqueOver100kAcrossThreads) {
    std::unordered_set<std::string> seen;
    std::mutex mutex;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            std::vector<std::string> mine;
            mine.reserve(25000);
            for (int i = 0; i < 25000; ++i) mine.push_back(newRequestId());
            std::lock_guard lock(mutex);
            seen.insert(mine.begin(), mine.end());
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(seen.size(), 100000u);
}

TEST(RequestId, AllHexDigitsAppear) {
    // A stuck or biased generator (e.g. all zeros) would fail this.
    std::unordered_set<char> digits;
    for (int i = 0; i < 200; ++i)
        for (char c : newRequestId()) digits.insert(c);
    EXPECT_EQ(digits.size(), 16u);
}

}  // namespace
}  // namespace cpa::core

namespace cpa::core {
namespace {

TEST(ClientRequestId, SafeTokensOnly) {
    EXPECT_TRUE(safeClientRequestId("a"));
    EXPECT_TRUE(safeClientRequestId("Trace-1.2_3"));
    EXPECT_TRUE(safeClientRequestId(std::string(64, 'z')));
    EXPECT_FALSE(safeClientRequestId(""));
    EXPECT_FALSE(safeClientRequestId(std::string(65, 'z')));
    for (const char* bad : {"a b", "a/b", "a;b", "a\"b", "a\nb", "a%41", "é", "a:b", "a,b"})
        EXPECT_FALSE(safeClientRequestId(bad)) << bad;
}

}  // namespace
}  // namespace cpa::core
