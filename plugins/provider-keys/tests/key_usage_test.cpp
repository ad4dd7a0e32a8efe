// /api-key-usage counters (management-api-core.md §5.10, data-plane.md §11.3).
#include "test_support.hpp"

#include "key_usage.hpp"

#include <ctime>

using namespace cpa::provider_keys::test;
using cpa::provider_keys::KeyUsage;

namespace {

const char* kRoot = R"({"gemini-api-key":[{"api-key":"g"}],
  "codex-api-key":[{"api-key":"c","base-url":"https://x"},{"api-key":"c","base-url":"https://x","proxy-url":"p"}],
  "openai-compatibility":[{"name":"Open","base-url":"u"}]})";

Value ev(const std::string& index, bool failed, const std::string& id = "") {
    return Value::object({{"auth_index", index}, {"auth_id", id}, {"failed", failed}});
}

}  // namespace

TEST(KeyUsageRules, CountsBucketsMergesAndIgnoresUnknownCredentials) {
    const Value root = sdk::parseJson(kRoot);
    const auto creds = synthesizeConfigCredentials(root);
    ASSERT_EQ(creds.size(), 4u);  // gemini, codex x2, keyless openai
    KeyUsage usage;
    usage.refresh(root);
    const std::time_t now = 1'800'000'000;  // a multiple of 600
    usage.record(ev(creds[0].authIndex, false), now - 600 * 19);
    usage.record(ev(creds[0].authIndex, true), now);
    usage.record(ev("", false, creds[1].id), now);  // by auth_id
    usage.record(ev(creds[2].authIndex, true), now + 1);
    usage.record(ev("ffffffffffffffff", false), now);  // an OAuth file: not listed
    usage.record(ev(creds[0].authIndex, false), now - 600 * 20);  // counted, but outside the window

    const Value out = usage.snapshot(root, now + 5);
    ASSERT_TRUE(out.isObject());
    EXPECT_EQ(out.size(), 2u) << sdk::toJson(out);  // gemini, codex; the keyless provider is not listed
    const Value& g = *out.find("gemini")->find("|g");
    EXPECT_EQ(g.find("success")->asInt(), 2);
    EXPECT_EQ(g.find("failed")->asInt(), 1);
    const auto& recent = g.find("recent_requests")->asArray();
    ASSERT_EQ(recent.size(), 20u);
    EXPECT_EQ(recent.front().find("success")->asInt(), 1);
    EXPECT_EQ(recent.back().find("failed")->asInt(), 1);
    EXPECT_EQ(recent.back().find("time")->asString(), KeyUsage::bucketLabel(now));
    const Value& c = *out.find("codex")->find("https://x|c");
    EXPECT_EQ(c.find("success")->asInt(), 1);
    EXPECT_EQ(c.find("failed")->asInt(), 1);
    EXPECT_EQ(c.find("recent_requests")->asArray().back().find("success")->asInt(), 1);
}

TEST(KeyUsageRules, RemovedCredentialsAreForgotten) {
    const Value root = sdk::parseJson(R"({"gemini-api-key":[{"api-key":"g"}]})");
    const auto creds = synthesizeConfigCredentials(root);
    KeyUsage usage;
    usage.refresh(root);
    usage.record(ev(creds[0].authIndex, false), 600);
    usage.refresh(sdk::parseJson("{}"));
    usage.refresh(root);
    EXPECT_EQ(usage.snapshot(root, 600).find("gemini")->find("|g")->find("success")->asInt(), 0);
}

TEST(KeyUsageRules, BucketLabelIsLocalHoursAndMinutes) {
    const std::string label = KeyUsage::bucketLabel(1'800'000'000);
    ASSERT_EQ(label.size(), 11u);
    EXPECT_EQ(label[2], ':');
    EXPECT_EQ(label[5], '-');
}

class KeyUsageModule : public ModuleTest {};

TEST_F(KeyUsageModule, EventsFeedTheEndpointAndConfigWritesRefreshTheSet) {
    EXPECT_EQ(run(Method::Get, "/api-key-usage"), "200 {}");
    EXPECT_EQ(run(Method::Put, "/claude-api-key", R"([{"api-key":"k","base-url":"b"}])"), kOk);
    const auto creds = synthesizeConfigCredentials(ctx->config().snapshot()->root());
    ASSERT_EQ(creds.size(), 1u);
    ctx->events().publish(sdk::kTopicUsageRecord, ev(creds[0].authIndex, false));
    ctx->events().publish(sdk::kTopicUsageRecord, ev(creds[0].authIndex, true));
    const Value out = call(Method::Get, "/api-key-usage").bodyJson();
    const Value& e = *out.find("claude")->find("b|k");
    EXPECT_EQ(e.find("success")->asInt(), 1);
    EXPECT_EQ(e.find("failed")->asInt(), 1);
    EXPECT_EQ(ctx->events().listenerErrors(), 0u);
}
