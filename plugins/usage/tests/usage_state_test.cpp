// The usage module's parsing and state pieces one at a time: timestamps at
// their edges, the dedup digest set, the JSON cursor of the streamed import,
// token normalisation, detail decoding, and the store's merge, sink and
// replay (usage.md §2, §5.3, §5.4).
#include "digest_set.hpp"
#include "json_cursor.hpp"
#include "timestamp.hpp"
#include "usage_store.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace cpa::usage;
using cpa::sdk::parseJson;
using cpa::sdk::Value;

namespace {

Detail at(const char* ts, std::int64_t in, std::int64_t out = 0, bool failed = false) {
    Detail d;
    d.timestamp = *parseRfc3339(ts);
    d.latencyMs = 10;
    d.source = "src";
    d.authIndex = "idx";
    d.tokens.input = in;
    d.tokens.output = out;
    d.failed = failed;
    return d;
}

}  // namespace

// ----- timestamps -----

TEST(UsageTimestamp, FractionsOfAnyLengthAreNanoseconds) {
    EXPECT_EQ(parseRfc3339("2026-05-01T12:00:00.1Z")->nanos, 100000000);
    EXPECT_EQ(parseRfc3339("2026-05-01T12:00:00.000001Z")->nanos, 1000);
    EXPECT_EQ(parseRfc3339("2026-05-01T12:00:00.123456789Z")->nanos, 123456789);
    EXPECT_FALSE(parseRfc3339("2026-05-01T12:00:00.1234567891Z"));  // ten digits
    EXPECT_EQ(formatRfc3339Nano(*parseRfc3339("2026-05-01T12:00:00.000001Z")), "2026-05-01T12:00:00.000001Z");
}

TEST(UsageTimestamp, NegativeOffsetsCrossTheDayInUtc) {
    auto t = parseRfc3339("2026-05-01T22:30:00-05:00");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, -5 * 3600);
    EXPECT_EQ(t->dayKey(), "2026-05-01");
    EXPECT_EQ(t->hour(), 22);
    EXPECT_EQ(formatUtcRfc3339Nano(*t), "2026-05-02T03:30:00Z");
    EXPECT_EQ(formatRfc3339Nano(*t), "2026-05-01T22:30:00-05:00");
}

TEST(UsageTimestamp, SameInstantInTwoZonesHasOneUtcForm) {
    auto a = parseRfc3339("2026-03-20T12:00:00.5Z");
    auto b = parseRfc3339("2026-03-20T20:00:00.500+08:00");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->seconds, b->seconds);
    EXPECT_EQ(formatUtcRfc3339Nano(*a), formatUtcRfc3339Nano(*b));
    EXPECT_NE(a->hour(), b->hour());  // buckets follow each timestamp's own zone
}

TEST(UsageTimestamp, LeapYearsFollowTheGregorianRules) {
    EXPECT_TRUE(parseRfc3339("2000-02-29T00:00:00Z"));
    EXPECT_FALSE(parseRfc3339("2100-02-29T00:00:00Z"));
    EXPECT_FALSE(parseRfc3339("2026-02-29T00:00:00Z"));
    EXPECT_TRUE(parseRfc3339("2026-12-31T23:59:59Z"));
    EXPECT_FALSE(parseRfc3339("2026-04-31T00:00:00Z"));
    EXPECT_FALSE(parseRfc3339("2026-05-01T12:60:00Z"));
}

TEST(UsageTimestamp, UnixEpochRoundTrips) {
    auto t = parseRfc3339("1970-01-01T00:00:00Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->seconds, 0);
    EXPECT_FALSE(t->isZero());  // only Go's year-1 zero time means "not set"
    EXPECT_EQ(t->dayKey(), "1970-01-01");
    EXPECT_EQ(formatRfc3339Nano(*t), "1970-01-01T00:00:00Z");
}

TEST(UsageTimestamp, NowIsSetAndFormatsBackToItself) {
    const Timestamp now = nowLocal();
    EXPECT_FALSE(now.isZero());
    EXPECT_GT(now.seconds, 1700000000);
    auto again = parseRfc3339(formatRfc3339Nano(now));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->seconds, now.seconds);
    EXPECT_EQ(again->nanos, now.nanos);
    EXPECT_EQ(again->offset, now.offset);
}

// ----- dedup digests -----

TEST(UsageDigestSet, InsertReportsNewOnlyOnce) {
    DigestSet s;
    EXPECT_FALSE(s.contains({1, 2}));
    EXPECT_TRUE(s.insert({1, 2}));
    EXPECT_FALSE(s.insert({1, 2}));
    EXPECT_TRUE(s.contains({1, 2}));
    EXPECT_FALSE(s.contains({2, 1}));
    EXPECT_EQ(s.size(), 1u);
}

TEST(UsageDigestSet, TheZeroDigestIsStorableAndSharesItsSlotWithItsStandIn) {
    DigestSet s;
    EXPECT_TRUE(s.insert({0, 0}));
    EXPECT_TRUE(s.contains({0, 0}));
    // The all-zero digest marks empty slots, so it is stored as {0,1}.
    EXPECT_TRUE(s.contains({0, 1}));
    EXPECT_FALSE(s.insert({0, 1}));
    EXPECT_EQ(s.size(), 1u);
}

TEST(UsageDigestSet, KeepsEverythingAcrossGrowthAndCollidingLowBits) {
    DigestSet s;
    // Same low bits of `a`: every one probes from the same slot.
    for (std::uint64_t i = 1; i <= 1500; ++i) EXPECT_TRUE(s.insert({i << 20, i}));
    EXPECT_EQ(s.size(), 1500u);
    for (std::uint64_t i = 1; i <= 1500; ++i) EXPECT_TRUE(s.contains({i << 20, i})) << i;
    EXPECT_FALSE(s.contains({1501u << 20, 1501}));
    for (std::uint64_t i = 1; i <= 1500; ++i) EXPECT_FALSE(s.insert({i << 20, i}));
    EXPECT_EQ(s.size(), 1500u);
}

// ----- the import's JSON cursor -----

TEST(UsageJsonCursor, PlainStringsAreViewsAndEscapedOnesAreDecoded) {
    JsonCursor plain(R"("gpt-5")");
    std::string storage;
    EXPECT_EQ(plain.string(storage), "gpt-5");
    EXPECT_TRUE(storage.empty());
    EXPECT_TRUE(plain.atEnd());

    JsonCursor escaped(R"("a\"b\u00e9\n")");
    EXPECT_EQ(escaped.string(storage), "a\"b\xc3\xa9\n");
    EXPECT_TRUE(escaped.atEnd());

    JsonCursor unterminated(R"("abc)");
    EXPECT_THROW(unterminated.string(storage), Bail);
    JsonCursor notString("42");
    EXPECT_THROW(notString.string(storage), Bail);
}

TEST(UsageJsonCursor, NumbersTellIntegersFromOthers) {
    auto num = [](const char* text) { return JsonCursor(text).number(); };
    EXPECT_EQ(num("0"), std::make_pair(true, std::int64_t{0}));
    EXPECT_EQ(num("-17"), std::make_pair(true, std::int64_t{-17}));
    EXPECT_EQ(num("9223372036854775807"), std::make_pair(true, INT64_MAX));
    EXPECT_FALSE(num("1.5").first);
    EXPECT_FALSE(num("1e3").first);
    EXPECT_THROW(num("--1"), Bail);
    EXPECT_THROW(num("1.2.3"), Bail);
}

TEST(UsageJsonCursor, MembersVisitsEveryKeyAndSkipValidatesValues) {
    JsonCursor c(R"({"a": [1, {"x": null}], "b" : "s", "c": {}})");
    std::vector<std::string> keys;
    c.members(1, [&](std::string_view key) {
        keys.emplace_back(key);
        c.ws();
        c.skip(2);
    });
    EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_TRUE(c.atEnd());

    JsonCursor empty("{}");
    int calls = 0;
    empty.members(1, [&](std::string_view) { ++calls; });
    EXPECT_EQ(calls, 0);

    JsonCursor broken(R"({"a": [1,]})");
    EXPECT_THROW(broken.members(1,
                                [&](std::string_view) {
                                    broken.ws();
                                    broken.skip(2);
                                }),
                 Bail);
    JsonCursor missingColon(R"({"a" 1})");
    EXPECT_THROW(missingColon.members(1, [&](std::string_view) { missingColon.skip(2); }), Bail);
}

TEST(UsageJsonCursor, NullAndLiteralsAndTheDepthLimit) {
    JsonCursor n("  null");
    EXPECT_TRUE(n.takeNull());
    EXPECT_TRUE(n.atEnd());
    JsonCursor notNull(" true");
    EXPECT_FALSE(notNull.takeNull());
    notNull.literal("true");
    EXPECT_TRUE(notNull.atEnd());
    JsonCursor wrong("nul");
    EXPECT_THROW(wrong.takeNull(), Bail);

    const std::string deep = std::string(600, '[') + std::string(600, ']');
    JsonCursor tooDeep(deep);
    EXPECT_THROW(tooDeep.skip(1), Bail);
    const std::string fine = std::string(100, '[') + std::string(100, ']');
    JsonCursor ok(fine);
    ok.skip(1);
    EXPECT_TRUE(ok.atEnd());
}

// ----- tokens and details -----

TEST(UsageTokens, TotalIsKeptOrDerivedInTwoSteps) {
    Tokens given{1, 2, 3, 4, 99};
    given.normalise();
    EXPECT_EQ(given.total, 99);
    Tokens sum{1, 2, 3, 4, 0};
    sum.normalise();
    EXPECT_EQ(sum.total, 6);  // cached only counts when everything else is 0
    Tokens cachedOnly{0, 0, 0, 7, 0};
    cachedOnly.normalise();
    EXPECT_EQ(cachedOnly.total, 7);
    Tokens none{};
    none.normalise();
    EXPECT_EQ(none.total, 0);
}

TEST(UsageDetail, DecodesEveryFieldAndWritesThemBackInTheOriginalsOrder) {
    const Value v = parseJson(
        R"({"failed":true,"tokens":{"total_tokens":9,"cached_tokens":4,"reasoning_tokens":3,"output_tokens":2,)"
        R"("input_tokens":1},"auth_index":"ai","source":"me","latency_ms":250,)"
        R"("timestamp":"2026-05-01T12:00:03.5+02:00"})");
    const Detail d = detailFromJson(v);
    EXPECT_TRUE(d.failed);
    EXPECT_EQ(d.latencyMs, 250);
    EXPECT_EQ(d.source, "me");
    EXPECT_EQ(d.authIndex, "ai");
    EXPECT_EQ(d.tokens.input, 1);
    EXPECT_EQ(d.tokens.output, 2);
    EXPECT_EQ(d.tokens.reasoning, 3);
    EXPECT_EQ(d.tokens.cached, 4);
    EXPECT_EQ(d.tokens.total, 9);
    EXPECT_EQ(d.timestamp.offset, 2 * 3600);
    EXPECT_EQ(detailJson(d),
              R"({"timestamp":"2026-05-01T12:00:03.5+02:00","latency_ms":250,"source":"me","auth_index":"ai",)"
              R"("tokens":{"input_tokens":1,"output_tokens":2,"reasoning_tokens":3,"cached_tokens":4,)"
              R"("total_tokens":9},"failed":true})");
}

TEST(UsageDetail, AbsentAndNullMembersAreZeroValuesAndNamesMatchInAnyCase) {
    const Detail empty = detailFromJson(parseJson("{}"));
    EXPECT_TRUE(empty.timestamp.isZero());
    EXPECT_EQ(empty.latencyMs, 0);
    EXPECT_FALSE(empty.failed);
    EXPECT_TRUE(detailFromJson(Value()).timestamp.isZero());

    const Detail nulls = detailFromJson(parseJson(R"({"latency_ms":null,"source":null,"tokens":null})"));
    EXPECT_EQ(nulls.latencyMs, 0);
    EXPECT_EQ(nulls.source, "");

    const Detail upper = detailFromJson(parseJson(R"({"LATENCY_MS":7,"Source":"x"})"));
    EXPECT_EQ(upper.latencyMs, 7);
    EXPECT_EQ(upper.source, "x");
}

TEST(UsageDetail, WrongTypesAreInvalidJson) {
    for (const char* bad : {R"({"latency_ms":"1"})", R"({"latency_ms":1.5})", R"({"source":3})",
                            R"({"failed":"true"})", R"({"tokens":[]})", R"({"tokens":{"input_tokens":"2"}})",
                            R"({"timestamp":"yesterday"})", R"({"timestamp":1714560000})", R"([])", R"("x")"}) {
        EXPECT_THROW(detailFromJson(parseJson(bad)), InvalidUsageJson) << bad;
    }
}

TEST(UsageSnapshot, KeepsEveryApiModelAndDetail) {
    const Value v = parseJson(
        R"({"total_requests":2,"apis":{"k2":{"models":{"m":{"details":[{"latency_ms":1}]}}},)"
        R"("k1":{"models":{"a":{"details":[]},"b":{"details":[{"latency_ms":2},{"latency_ms":3}]}}}}})");
    const std::vector<ImportApi> apis = snapshotFromJson(v);
    ASSERT_EQ(apis.size(), 2u);
    std::vector<std::string> names{apis[0].name, apis[1].name};
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"k1", "k2"}));
    std::size_t details = 0;
    for (const ImportApi& api : apis) {
        for (const ImportModel& m : api.models) details += m.details.size();
    }
    EXPECT_EQ(details, 3u);
    EXPECT_TRUE(snapshotFromJson(Value()).empty());
    EXPECT_THROW(snapshotFromJson(parseJson(R"({"apis":[]})")), InvalidUsageJson);
    EXPECT_THROW(snapshotFromJson(parseJson(R"({"total_requests":"2"})")), InvalidUsageJson);
}

// ----- the store -----

TEST(UsageStoreState, DuplicatesInsideOneImportAreSkippedAndTotalsFollow) {
    UsageStore s;
    std::vector<ImportApi> apis{{"k", {{"m", {at("2026-05-01T12:00:00Z", 5), at("2026-05-01T12:00:00Z", 5),
                                              at("2026-05-01T12:00:01Z", 5, 0, true)}}}}};
    const MergeResult r = s.merge(apis);
    EXPECT_EQ(r.added, 2);
    EXPECT_EQ(r.skipped, 1);
    EXPECT_EQ(s.totals().requests, 2);
    EXPECT_EQ(s.totals().failures, 1);
    // Importing the same again adds nothing; a live record of the same detail is not deduplicated.
    EXPECT_EQ(s.merge(apis).added, 0);
    s.record("k", "m", at("2026-05-01T12:00:00Z", 5));
    EXPECT_EQ(s.totals().requests, 3);
}

TEST(UsageStoreState, TheDedupKeyCoversSourceAuthIndexAndFailed) {
    UsageStore s;
    Detail base = at("2026-05-01T12:00:00Z", 5);
    Detail otherSource = base;
    otherSource.source = "other";
    Detail otherIndex = base;
    otherIndex.authIndex = "other";
    Detail failed = base;
    failed.failed = true;
    Detail slower = base;
    slower.latencyMs = 9999;
    const MergeResult r = s.merge({{"k", {{"m", {base, otherSource, otherIndex, failed, slower}}}}});
    EXPECT_EQ(r.added, 4);
    EXPECT_EQ(r.skipped, 1);  // latency is not part of the key
}

TEST(UsageStoreState, TheStreamedMergerMatchesTheListMerge) {
    UsageStore listed, streamed;
    std::vector<ImportApi> apis{{"  k  ", {{"", {at("2026-05-01T12:00:00Z", 1)}}, {"m", {at("2026-05-01T13:00:00Z", 2)}}}},
                                {"   ", {{"m", {at("2026-05-01T14:00:00Z", 3)}}}}};
    const MergeResult a = listed.merge(apis);
    MergeResult b;
    {
        UsageStore::Merger merger(streamed);
        for (const ImportApi& api : apis) {
            merger.beginApi(api.name);
            for (const ImportModel& m : api.models) {
                merger.beginModel(m.name);
                for (const Detail& d : m.details) merger.detail(d);
            }
        }
        b = merger.result();
    }
    EXPECT_EQ(a.added, 2);
    EXPECT_EQ(a.skipped, 0);  // the blank API's detail counts nowhere
    EXPECT_EQ(b.added, a.added);
    EXPECT_EQ(b.skipped, a.skipped);
    EXPECT_EQ(listed.snapshotJson(), streamed.snapshotJson());
    Value v = parseJson(listed.snapshotJson());
    ASSERT_TRUE(v["apis"].find("k"));
    EXPECT_TRUE(v["apis"]["k"]["models"].find("unknown"));
}

TEST(UsageStoreState, EveryLiveRecordReachesTheSinkAndReplaysToTheSameState) {
    UsageStore live;
    std::vector<std::string> lines;
    live.setSink([&](std::string line) { lines.push_back(std::move(line)); });
    live.record("k\"1", "m", at("2026-05-01T12:00:00+08:00", 3, 4));
    live.record("k2", "m", at("2026-05-01T13:00:00Z", 1, 0, true));
    live.merge({{"k3", {{"m", {at("2026-05-02T00:00:00Z", 8)}}}}});
    ASSERT_EQ(lines.size(), 3u);  // imported details are persisted too
    Value first = parseJson(lines[0]);
    EXPECT_EQ(first["api"].asString(), "k\"1");
    EXPECT_EQ(first["model"].asString(), "m");
    EXPECT_EQ(first["detail"]["tokens"]["total_tokens"].asInt(), 7);

    UsageStore replayed;
    for (const std::string& line : lines) EXPECT_TRUE(replayed.replayLine(line));
    EXPECT_EQ(replayed.snapshotJson(), live.snapshotJson());
    // Replayed details are part of the dedup set.
    EXPECT_EQ(replayed.merge({{"k3", {{"m", {at("2026-05-02T00:00:00Z", 8)}}}}}).skipped, 1);
}

TEST(UsageStoreState, ReplayRefusesLinesThatDoNotDecode) {
    UsageStore s;
    for (const char* bad : {"", "{", "[]", R"({"api":"k","model":"m"})", R"({"api":1,"model":"m","detail":{}})",
                            R"({"api":"k","model":"m","detail":[]})",
                            R"({"api":"k","model":"m","detail":{"latency_ms":1}})",  // no timestamp
                            R"({"api":"k","model":"m","detail":{"timestamp":"x"}})"}) {
        EXPECT_FALSE(s.replayLine(bad)) << bad;
    }
    EXPECT_EQ(s.totals().requests, 0);
    EXPECT_TRUE(s.replayLine(R"({"api":"k","model":"m","detail":{"timestamp":"2026-05-01T12:00:00Z"}})"));
    EXPECT_EQ(s.totals().requests, 1);
}

TEST(UsageStoreState, NegativeLatencyIsStoredAsZero) {
    UsageStore s;
    Detail d = at("2026-05-01T12:00:00Z", 1);
    d.latencyMs = -5;
    s.record("k", "m", d);
    Value v = parseJson(s.snapshotJson());
    EXPECT_EQ(v["apis"]["k"]["models"]["m"]["details"].asArray()[0]["latency_ms"].asInt(), 0);
}

TEST(UsageStoreState, PiecesConcatenateToTheBodies) {
    UsageStore s;
    for (int i = 0; i < 50; ++i) {
        s.record("k" + std::to_string(i % 3), "m", at("2026-05-01T12:00:00Z", i));
    }
    auto join = [](const UsageStore::Pieces& pieces) {
        std::string out;
        for (const auto& p : pieces) out += *p;
        return out;
    };
    EXPECT_EQ(join(s.usagePieces()), s.usageBody());
    EXPECT_EQ(join(s.exportPieces("2026-05-01T00:00:00Z")), s.exportBody("2026-05-01T00:00:00Z"));
}
