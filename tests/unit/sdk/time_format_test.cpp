// Go-compatible RFC 3339 (cpa/sdk/time_format.hpp): the vectors every module's
// former copy was tested with.
#include <cpa/sdk/time_format.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <limits>

using namespace cpa::sdk;

namespace {

struct UtcZoneScope {
    UtcZoneScope() {
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }
};

}  // namespace

TEST(TimeFormat, FractionForms) {
    const ZonedTime t{1777608003, 123000000, 0};
    EXPECT_EQ(formatRfc3339(t), "2026-05-01T04:00:03Z");
    EXPECT_EQ(formatRfc3339Nano(t), "2026-05-01T04:00:03.123Z");
    EXPECT_EQ(formatRfc3339(t, TimeFraction::Millis), "2026-05-01T04:00:03.123Z");
    EXPECT_EQ(formatRfc3339(t, TimeFraction::Nanos), "2026-05-01T04:00:03.123000000Z");
    EXPECT_EQ(formatRfc3339Nano(ZonedTime{1777608003, 0, 0}), "2026-05-01T04:00:03Z");
    std::string numeric;
    appendRfc3339(numeric, t, TimeFraction::Millis, UtcZone::Numeric);
    EXPECT_EQ(numeric, "2026-05-01T04:00:03.123+00:00");
}

TEST(TimeFormat, OffsetsAreWrittenInTheirOwnZone) {
    const ZonedTime t{1777608003, 5, 8 * 3600};
    EXPECT_EQ(formatRfc3339Nano(t), "2026-05-01T12:00:03.000000005+08:00");
    EXPECT_EQ(formatRfc3339(ZonedTime{1777608003, 0, -(5 * 3600 + 1800)}), "2026-04-30T22:30:03-05:30");
    EXPECT_EQ(formatDate(ZonedTime{1767225600 - 3600, 0, 2 * 3600}), "2026-01-01");
    EXPECT_EQ(formatDate(ZonedTime{1767225600 - 3600, 0, 0}), "2025-12-31");
}

TEST(TimeFormat, LocalZoneAndNanoseconds) {
    UtcZoneScope utc;
    EXPECT_EQ(formatRfc3339Nano(zonedFromUnixNanos(1777608003123000000LL)), "2026-05-01T04:00:03.123Z");
    EXPECT_EQ(formatRfc3339Nano(zonedFromUnixNanos(-1)), "1969-12-31T23:59:59.999999999Z");
    const auto tp = std::chrono::system_clock::time_point(std::chrono::seconds(1777608003)) +
                    std::chrono::milliseconds(7);
    EXPECT_EQ(formatRfc3339(localTime(tp), TimeFraction::Millis), "2026-05-01T04:00:03.007Z");
    EXPECT_EQ(formatRfc3339(utcTime(tp)), "2026-05-01T04:00:03Z");
}

TEST(TimeFormat, StrictParsingKeepsTheZone) {
    auto t = parseRfc3339("2026-05-01T12:00:03.123456789+08:00");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->seconds, 1777608003);
    EXPECT_EQ(t->nanos, 123456789);
    EXPECT_EQ(t->offset, 8 * 3600);
    EXPECT_EQ(formatRfc3339Nano(*t), "2026-05-01T12:00:03.123456789+08:00");
    EXPECT_EQ(formatRfc3339Nano(*parseRfc3339("2026-03-20T12:00:00.500Z")), "2026-03-20T12:00:00.5Z");
    for (const char* bad : {"", "2026-05-01", "2026-05-01 12:00:00Z", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                            "2026-05-01T24:00:00Z", "2026-05-01T12:00:00", "2026-05-01T12:00:00.Z",
                            "2026-05-01t12:00:00z", "2026-05-01T12:00:00.1234567891Z", "2026-05-01T12:00:00+0800"}) {
        EXPECT_FALSE(parseRfc3339(bad)) << bad;
    }
    EXPECT_TRUE(parseRfc3339("2024-02-29T00:00:00Z"));
}

TEST(TimeFormat, LenientParsingOfCredentialFiles) {
    EXPECT_EQ(parseRfc3339LenientNanos("2026-05-01T12:00:03.123+08:00"), 1777608003123000000LL);
    EXPECT_EQ(parseRfc3339LenientNanos("2026-05-01t04:00:03z"), 1777608003000000000LL);
    EXPECT_EQ(parseRfc3339LenientNanos("2026-05-01T04:00:03.1234567891Z"), 1777608003123456789LL);
    EXPECT_FALSE(parseRfc3339LenientNanos("2026-05-01 04:00:03"));
    EXPECT_FALSE(parseRfc3339LenientNanos("garbage"));
    EXPECT_EQ(parseRfc3339LenientNanos("2500-01-01T00:00:00Z"), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(parseCivilSeconds("2026-05-01 04:00:03", ' '), 1777608003);
    EXPECT_FALSE(parseCivilSeconds("2026-05-01T04:00:03", ' '));
}

TEST(TimeFormat, CivilArithmetic) {
    EXPECT_EQ(daysFromCivil(1970, 1, 1), 0);
    EXPECT_EQ(daysFromCivil(1, 1, 1) * 86400, -62135596800LL);
    const CivilTime c = civilFromSeconds(-1);
    EXPECT_EQ(c.year, 1969);
    EXPECT_EQ(c.month, 12u);
    EXPECT_EQ(c.day, 31u);
    EXPECT_EQ(c.second, 59u);
    EXPECT_EQ(saturatingNanos(std::numeric_limits<std::int64_t>::max() / 1000000000LL, 999999999),
              std::numeric_limits<std::int64_t>::max());
}
