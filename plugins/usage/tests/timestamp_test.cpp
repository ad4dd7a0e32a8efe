// RFC 3339 parsing/formatting and zone-aware buckets.
#include "timestamp.hpp"

#include <gtest/gtest.h>

using namespace cpa::usage;

TEST(Timestamp, ParsesOffsetsAndKeepsTheZone) {
    auto t = parseRfc3339("2026-05-01T12:00:03.123456789+08:00");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, 8 * 3600);
    EXPECT_EQ(t->nanos, 123456789);
    EXPECT_EQ(formatRfc3339Nano(*t), "2026-05-01T12:00:03.123456789+08:00");
    EXPECT_EQ(formatUtcRfc3339Nano(*t), "2026-05-01T04:00:03.123456789Z");
    EXPECT_EQ(t->dayKey(), "2026-05-01");
    EXPECT_EQ(t->hour(), 12);
}

TEST(Timestamp, TrimsTrailingFractionZerosAndUsesZForUtc) {
    EXPECT_EQ(formatRfc3339Nano(*parseRfc3339("2026-03-20T12:00:00.500Z")), "2026-03-20T12:00:00.5Z");
    EXPECT_EQ(formatRfc3339Nano(*parseRfc3339("2026-03-20T12:00:00.000+00:00")), "2026-03-20T12:00:00Z");
    EXPECT_EQ(formatRfc3339Nano(*parseRfc3339("2026-03-20T00:30:00-05:30")), "2026-03-20T00:30:00-05:30");
}

TEST(Timestamp, DayAndHourFollowTheTimestampsOwnZone) {
    auto t = parseRfc3339("2026-01-01T01:00:00+02:00");  // 2025-12-31T23:00Z
    ASSERT_TRUE(t);
    EXPECT_EQ(t->dayKey(), "2026-01-01");
    EXPECT_EQ(t->hour(), 1);
    Timestamp utc = *t;
    utc.offset = 0;
    EXPECT_EQ(utc.dayKey(), "2025-12-31");
    EXPECT_EQ(utc.hour(), 23);
}

TEST(Timestamp, RejectsWhatGoRejects) {
    for (const char* bad : {"", "2026-05-01", "2026-05-01 12:00:00Z", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                            "2026-05-01T24:00:00Z", "2026-05-01T12:00:00", "2026-05-01T12:00:00.Z",
                            "2026-05-01T12:00:00Zx", "2026-05-01T12:00:00+0800", "1714560000"}) {
        EXPECT_FALSE(parseRfc3339(bad)) << bad;
    }
    EXPECT_TRUE(parseRfc3339("2024-02-29T00:00:00Z"));
}

TEST(Timestamp, GoZeroTimeIsZero) {
    auto t = parseRfc3339("0001-01-01T00:00:00Z");
    ASSERT_TRUE(t);
    EXPECT_TRUE(t->isZero());
    EXPECT_FALSE(parseRfc3339("2026-01-01T00:00:00Z")->isZero());
}
