// The aggregation, the exact JSON and the import merge of usage.md §2–§5.
#include "usage_store.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

using namespace cpa::usage;
using cpa::sdk::parseJson;
using cpa::sdk::Value;

namespace {

Detail detail(const char* ts, std::int64_t in, std::int64_t out, bool failed = false, const char* source = "s") {
    Detail d;
    d.timestamp = *parseRfc3339(ts);
    d.latencyMs = 1500;
    d.source = source;
    d.authIndex = "3f2a9c0d1b7e4a55";
    d.tokens.input = in;
    d.tokens.output = out;
    d.failed = failed;
    return d;
}

}  // namespace

TEST(UsageStore, EmptySnapshotHasEmptyObjects) {
    UsageStore s;
    EXPECT_EQ(s.snapshotJson(),
              R"({"total_requests":0,"success_count":0,"failure_count":0,"total_tokens":0,"apis":{},)"
              R"("requests_by_day":{},"requests_by_hour":{},"tokens_by_day":{},"tokens_by_hour":{}})");
}

TEST(UsageStore, AggregatesExactlyAndSerialisesEveryField) {
    UsageStore s;
    s.record("sk-1", "gpt-5", detail("2026-05-01T12:00:03.123456789+08:00", 500, 100));
    s.record("sk-1", "gpt-5", detail("2026-05-01T12:30:00+08:00", 400, 200, false, "b"));
    s.record("POST /v1/messages", "claude", detail("2026-05-02T03:00:00+08:00", 0, 0, true));
    const std::string json = s.snapshotJson();
    EXPECT_EQ(s.usageBody(), "{\"failed_requests\":1,\"usage\":" + json + "}");
    EXPECT_EQ(s.exportBody("2026-05-01T04:00:03.5Z"),
              "{\"version\":1,\"exported_at\":\"2026-05-01T04:00:03.5Z\",\"usage\":" + json + "}");
    Value v = parseJson(json);
    EXPECT_EQ(v["total_requests"].asInt(), 3);
    EXPECT_EQ(v["success_count"].asInt(), 2);
    EXPECT_EQ(v["failure_count"].asInt(), 1);
    EXPECT_EQ(v["total_tokens"].asInt(), 1200);
    EXPECT_EQ(v["requests_by_day"], Value::object({{"2026-05-01", 2}, {"2026-05-02", 1}}));
    EXPECT_EQ(v["requests_by_hour"], Value::object({{"03", 1}, {"12", 2}}));
    EXPECT_EQ(v["tokens_by_day"], Value::object({{"2026-05-01", 1200}, {"2026-05-02", 0}}));
    EXPECT_EQ(v["tokens_by_hour"], Value::object({{"03", 0}, {"12", 1200}}));
    // Keys sorted like Go's map encoding: "POST /v1/messages" < "sk-1".
    EXPECT_EQ(v["apis"].asObject().front().first, "POST /v1/messages");
    Value& model = *v["apis"]["sk-1"]["models"].find("gpt-5");
    EXPECT_EQ(model["total_requests"].asInt(), 2);
    EXPECT_EQ(model["total_tokens"].asInt(), 1200);
    EXPECT_EQ(cpa::sdk::toJson(model["details"].asArray()[0]),
              R"({"timestamp":"2026-05-01T12:00:03.123456789+08:00","latency_ms":1500,"source":"s",)"
              R"("auth_index":"3f2a9c0d1b7e4a55","tokens":{"input_tokens":500,"output_tokens":100,)"
              R"("reasoning_tokens":0,"cached_tokens":0,"total_tokens":600},"failed":false})");
    EXPECT_EQ(v["apis"]["sk-1"]["total_requests"].asInt(), 2);
}

TEST(UsageStore, NamesAreEscapedLikeTheSdkEncoder) {
    UsageStore s;
    s.record("a<b>\"&\\", "m\u00e9\n", detail("2026-05-01T00:00:00Z", 1, 1, false, "x\ty"));
    const std::string json = s.snapshotJson();
    EXPECT_NE(json.find(R"("a\u003cb\u003e\"\u0026\\")"), std::string::npos) << json;
    EXPECT_NE(json.find("\"m\u00e9\\n\""), std::string::npos) << json;
    EXPECT_NE(json.find(R"("source":"x\ty")"), std::string::npos) << json;
    EXPECT_NO_THROW(parseJson(json));
}

TEST(UsageStore, TotalFallsBackToCachedWhenEverythingElseIsZero) {
    UsageStore s;
    Detail d = detail("2026-05-01T00:00:00Z", 0, 0);
    d.tokens.cached = 7;
    s.record("a", "m", d);
    EXPECT_EQ(parseJson(s.snapshotJson())["total_tokens"].asInt(), 7);
}

TEST(UsageStore, MergeDedupIgnoresLatencyAndZoneButNotTokens) {
    UsageStore s;
    s.record("k", "m", detail("2026-03-20T20:00:00+08:00", 1, 2));
    Detail same = detail("2026-03-20T12:00:00Z", 1, 2);  // same instant, other zone
    same.latencyMs = 2500;
    Detail other = detail("2026-03-20T12:00:00Z", 1, 3);
    MergeResult r = s.merge({ImportApi{" k ", {ImportModel{"m", {same, other, other}}}}});
    EXPECT_EQ(r.added, 1);
    EXPECT_EQ(r.skipped, 2) << "duplicates within one import are skipped too";
    EXPECT_EQ(s.totals().requests, 2);
}

TEST(UsageStore, MergeDropsBlankApisAndDefaultsBlankModels) {
    UsageStore s;
    MergeResult r = s.merge({ImportApi{"  ", {ImportModel{"m", {detail("2026-03-20T12:00:00Z", 1, 1)}}}},
                             ImportApi{"k", {ImportModel{" ", {detail("2026-03-20T12:00:00Z", 1, 1)}}}}});
    EXPECT_EQ(r.added, 1);
    EXPECT_EQ(r.skipped, 0);
    Value v = parseJson(s.snapshotJson());
    EXPECT_NE(v["apis"]["k"]["models"].find("unknown"), nullptr);
    EXPECT_EQ(v["apis"].size(), 1u);
    EXPECT_EQ(v["requests_by_hour"], Value::object({{"12", 1}})) << "a Z timestamp buckets by its UTC hour";
}

TEST(UsageStore, NegativeImportedTotalsCountAsZeroGloballyOnly) {
    UsageStore s;
    Detail d = detail("2026-03-20T12:00:00Z", 0, 0);
    d.tokens.total = -5;
    s.merge({ImportApi{"k", {ImportModel{"m", {d}}}}});
    Value v = parseJson(s.snapshotJson());
    EXPECT_EQ(v["total_tokens"].asInt(), 0);
    EXPECT_EQ(v["apis"]["k"]["total_tokens"].asInt(), -5);
}

TEST(UsageStore, SnapshotDecodingIsTypeStrict) {
    for (const char* bad : {R"({"apis":{"k":{"models":{"m":{"details":[{"timestamp":"yesterday"}]}}}}})",
                            R"({"apis":{"k":{"models":{"m":{"details":[{"tokens":{"input_tokens":"5"}}]}}}}})",
                            R"({"apis":{"k":{"models":{"m":{"details":[{"failed":"true"}]}}}}})",
                            R"({"apis":{"k":{"models":{"m":{"details":[{"latency_ms":1.5}]}}}}})",
                            R"({"apis":{"k":{"models":{"m":{"details":{}}}}}})", R"({"total_requests":"3"})",
                            R"({"requests_by_hour":{"01":"x"}})", R"({"apis":[]})", R"([])"}) {
        EXPECT_THROW(snapshotFromJson(parseJson(bad)), InvalidUsageJson) << bad;
    }
    auto ok = snapshotFromJson(parseJson(R"({"APIS":{"k":{"models":{"m":{"details":[null,{"failed":null}]}}}}})"));
    ASSERT_EQ(ok.size(), 1u);
    ASSERT_EQ(ok[0].models[0].details.size(), 2u);
    EXPECT_TRUE(ok[0].models[0].details[0].timestamp.isZero());
}

TEST(UsageStore, ReplayedLinesRebuildTheSameSnapshot) {
    std::vector<std::string> lines;
    UsageStore a;
    a.setSink([&](std::string line) { lines.push_back(std::move(line)); });
    a.record("k", "m", detail("2026-05-01T12:00:03.5+08:00", 5, 6));
    a.merge({ImportApi{"i", {ImportModel{"n", {detail("2026-03-20T12:00:00Z", 1, 1, true)}}}}});
    ASSERT_EQ(lines.size(), 2u);
    UsageStore b;
    for (const auto& l : lines) EXPECT_TRUE(b.replayLine(l)) << l;
    EXPECT_EQ(a.snapshotJson(), b.snapshotJson());
    EXPECT_FALSE(b.replayLine("{\"api\":\"k\",\"mod"));
    EXPECT_FALSE(b.replayLine("[]"));
    EXPECT_EQ(b.merge({ImportApi{"i", {ImportModel{"n", {detail("2026-03-20T12:00:00Z", 1, 1, true)}}}}}).skipped, 1)
        << "replayed records are part of the dedup set";
}
