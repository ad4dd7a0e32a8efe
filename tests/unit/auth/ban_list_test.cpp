#include "auth/ban_list.hpp"

#include <gtest/gtest.h>

using cpa::core::BanList;
using namespace std::chrono;

TEST(BanList, FiveFailuresBanForThirtyMinutes) {
    BanList bans;
    auto t0 = BanList::Clock::now();
    for (int i = 0; i < 4; ++i) {
        bans.recordFailure("10.0.0.1", t0);
        EXPECT_FALSE(bans.activeBan("10.0.0.1", t0)) << "after " << i + 1 << " failures";
    }
    bans.recordFailure("10.0.0.1", t0);
    auto remaining = bans.activeBan("10.0.0.1", t0 + seconds(1));
    ASSERT_TRUE(remaining);
    EXPECT_EQ(BanList::formatRemaining(*remaining), "29m59s");
    EXPECT_FALSE(bans.activeBan("10.0.0.2", t0)) << "bans are per IP";
    EXPECT_FALSE(bans.activeBan("10.0.0.1", t0 + minutes(30) + milliseconds(1))) << "the ban expires";
    // After expiry the count restarts from zero: one more failure does not ban again.
    bans.recordFailure("10.0.0.1", t0 + minutes(31));
    EXPECT_FALSE(bans.activeBan("10.0.0.1", t0 + minutes(31)));
}

TEST(BanList, SuccessResetsTheCount) {
    BanList bans;
    auto t0 = BanList::Clock::now();
    for (int i = 0; i < 4; ++i) bans.recordFailure("::1", t0);
    bans.recordSuccess("::1");
    for (int i = 0; i < 4; ++i) bans.recordFailure("::1", t0);
    EXPECT_FALSE(bans.activeBan("::1", t0));
    bans.recordFailure("::1", t0);
    EXPECT_TRUE(bans.activeBan("::1", t0));
}

TEST(BanList, IdleEntriesArePurgedAfterTwoHours) {
    BanList bans;
    auto t0 = BanList::Clock::now();
    bans.recordFailure("10.0.0.3", t0);
    for (int i = 0; i < 5; ++i) bans.recordFailure("10.0.0.4", t0 + hours(2));
    EXPECT_EQ(bans.size(), 2u);
    // Purge runs lazily at most hourly; 10.0.0.3 is idle > 2h, 10.0.0.4 is banned.
    EXPECT_TRUE(bans.activeBan("10.0.0.4", t0 + hours(2) + minutes(10)));
    EXPECT_EQ(bans.size(), 1u);
}

TEST(BanList, FormatsLikeGoDurations) {
    EXPECT_EQ(BanList::formatRemaining(minutes(30)), "30m0s");
    EXPECT_EQ(BanList::formatRemaining(seconds(60)), "1m0s");
    EXPECT_EQ(BanList::formatRemaining(seconds(59)), "59s");
    EXPECT_EQ(BanList::formatRemaining(milliseconds(400)), "0s");
    EXPECT_EQ(BanList::formatRemaining(milliseconds(1500)), "2s");
    EXPECT_EQ(BanList::formatRemaining(minutes(29) + seconds(59) + milliseconds(600)), "30m0s");
}

TEST(BanList, ChecksCountTheirFailureUpFront) {
    BanList bans;
    auto t0 = BanList::Clock::now();
    for (int i = 0; i < 5; ++i) {
        ASSERT_FALSE(bans.beginCheck("10.0.0.9", t0)) << "check " << i + 1;
        // Counted before the check ends: an unfinished check already weighs.
        if (i == 4) {
            EXPECT_TRUE(bans.activeBan("10.0.0.9", t0));
        }
        bans.finishCheck("10.0.0.9", false);
    }
    auto remaining = bans.beginCheck("10.0.0.9", t0);
    ASSERT_TRUE(remaining) << "the sixth check meets the ban";
    EXPECT_EQ(BanList::formatRemaining(*remaining), "30m0s");
    EXPECT_FALSE(bans.beginCheck("10.0.0.8", t0)) << "other IPs are independent";
    bans.finishCheck("10.0.0.8", true);
}

TEST(BanList, ASuccessfulCheckUndoesItsFailureAndTheBan) {
    BanList bans;
    auto t0 = BanList::Clock::now();
    for (int i = 0; i < 4; ++i) bans.recordFailure("::1", t0);
    ASSERT_FALSE(bans.beginCheck("::1", t0));
    EXPECT_TRUE(bans.activeBan("::1", t0)) << "the fifth failure, counted in advance";
    bans.finishCheck("::1", true);
    EXPECT_FALSE(bans.activeBan("::1", t0));
    for (int i = 0; i < 4; ++i) bans.recordFailure("::1", t0);
    EXPECT_FALSE(bans.activeBan("::1", t0)) << "the count restarted at zero";
}
