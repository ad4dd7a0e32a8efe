// Zone-aware buckets over the SDK's RFC 3339 (its own vectors: tests/unit/sdk/time_format_test.cpp).
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

TEST(Timestamp, GoZeroTimeIsZero) {
    auto t = parseRfc3339("0001-01-01T00:00:00Z");
    ASSERT_TRUE(t);
    EXPECT_TRUE(t->isZero());
    EXPECT_FALSE(parseRfc3339("2026-01-01T00:00:00Z")->isZero());
}
