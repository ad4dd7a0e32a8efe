// The module against the SDK fakes: events, the toggle, the routes and the
// log in a real temporary data directory.
#include "usage_module.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace st = cpa::sdk::testing;
namespace fs = std::filesystem;
using cpa::sdk::Method;
using cpa::sdk::parseJson;
using cpa::sdk::Value;
using cpa::usage::UsageModule;

namespace {

Value event(const char* apiKey, const char* model, std::int64_t in, std::int64_t out, bool failed = false) {
    return Value::object({{"provider", "codex"},
                          {"model", model},
                          {"api_key", apiKey},
                          {"endpoint", "POST /v1/chat/completions"},
                          {"auth_index", "0123456789abcdef"},
                          {"source", " user@example.com "},
                          {"requested_at", "2026-05-01T12:00:03.123+08:00"},
                          {"latency_ms", 42},
                          {"failed", failed},
                          {"tokens", Value::object({{"input_tokens", in}, {"output_tokens", out}})}});
}

struct ModuleFixture : ::testing::Test {
    fs::path dir;
    std::unique_ptr<st::FakeContext> ctx;
    std::unique_ptr<st::FakeRouter> router;
    std::unique_ptr<UsageModule> module;

    void SetUp() override {
        dir = fs::temp_directory_path() / ("cpa-usage-unit-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir);
        boot(true);
    }
    void TearDown() override {
        shutdown();
        fs::remove_all(dir);
    }
    void boot(bool enabled) {
        ctx = std::make_unique<st::FakeContext>(Value::object({{"usage-statistics-enabled", enabled}}));
        ctx->mutablePaths().dataDir = (dir / "data").string();
        router = std::make_unique<st::FakeRouter>();
        module = std::make_unique<UsageModule>();
        module->configure(*ctx);
        module->registerRoutes(*router);
        module->start();
    }
    void shutdown() {
        if (module) module->stop();
        module.reset();
    }
    void setEnabled(bool on) {
        ctx->config().update([on](Value& root) { root.set("usage-statistics-enabled", on); });
    }
    Value usage() {
        auto r = router->call(Method::Get, "/v0/management/usage");
        EXPECT_EQ(r.status(), 200);
        return parseJson(r.body());
    }
    st::FakeResponse import(const std::string& body) {
        return router->call(Method::Post, "/v0/management/usage/import", body);
    }
};

}  // namespace

TEST_F(ModuleFixture, RoutesAreManagementOnly) {
    for (auto [m, p] : {std::pair{Method::Get, "/v0/management/usage"}, {Method::Get, "/v0/management/usage/export"},
                        {Method::Post, "/v0/management/usage/import"}}) {
        const auto* route = router->find(m, p);
        ASSERT_NE(route, nullptr) << p;
        EXPECT_EQ(route->access, cpa::sdk::Access::Management) << p;
    }
}

TEST_F(ModuleFixture, EventsAreAggregatedAndTheTopLevelKeysAreSorted) {
    ctx->events().publish(cpa::sdk::kTopicUsageRecord, event("sk-1", "gpt-5", 500, 100));
    ctx->events().publish(cpa::sdk::kTopicUsageRecord, event("", "", 0, 0, true));
    auto r = router->call(Method::Get, "/v0/management/usage");
    EXPECT_EQ(r.body().rfind("{\"failed_requests\":1,\"usage\":{", 0), 0u) << r.body();
    Value v = parseJson(r.body());
    EXPECT_EQ(v["usage"]["total_requests"].asInt(), 2);
    Value& apis = v["usage"]["apis"];
    ASSERT_NE(apis.find("POST /v1/chat/completions"), nullptr) << "empty key falls back to the endpoint";
    ASSERT_NE(apis["POST /v1/chat/completions"]["models"].find("unknown"), nullptr);
    Value& d = apis["sk-1"]["models"]["gpt-5"]["details"].asArray()[0];
    EXPECT_EQ(d["timestamp"].asString(), "2026-05-01T12:00:03.123+08:00");
    EXPECT_EQ(d["source"].asString(), "user@example.com");
    EXPECT_EQ(d["latency_ms"].asInt(), 42);
    EXPECT_EQ(d["tokens"]["total_tokens"].asInt(), 600);
    EXPECT_EQ(v["usage"]["requests_by_hour"], Value::object({{"12", 2}}));
}

TEST_F(ModuleFixture, TheToggleIsReadAtEventTime) {
    setEnabled(false);
    ctx->events().publish(cpa::sdk::kTopicUsageRecord, event("k", "m", 1, 1));
    EXPECT_EQ(usage()["usage"]["total_requests"].asInt(), 0);
    setEnabled(true);
    ctx->events().publish(cpa::sdk::kTopicUsageRecord, event("k", "m", 1, 1));
    EXPECT_EQ(usage()["usage"]["total_requests"].asInt(), 1);
}

TEST_F(ModuleFixture, ExportImportRoundTripAndSecondImportAddsNothing) {
    ctx->events().publish(cpa::sdk::kTopicUsageRecord, event("sk-1", "gpt-5", 500, 100));
    ctx->events().publish(cpa::sdk::kTopicUsageRecord, event("sk-2", "gpt-5", 5, 1, true));
    auto exported = router->call(Method::Get, "/v0/management/usage/export");
    ASSERT_EQ(exported.status(), 200);
    EXPECT_EQ(exported.body().rfind("{\"version\":1,\"exported_at\":\"", 0), 0u);
    EXPECT_NE(parseJson(exported.body())["exported_at"].asString().back(), '0');
    const std::string before = usage()["usage"] == Value() ? "" : cpa::sdk::toJson(usage());
    auto again = import(exported.body());
    ASSERT_EQ(again.status(), 200);
    EXPECT_EQ(again.body(), R"({"added":0,"failed_requests":1,"skipped":2,"total_requests":2})");
    EXPECT_EQ(cpa::sdk::toJson(usage()), before);

    shutdown();
    fs::remove_all(dir / "data");
    boot(false);  // a fresh server; imports work while collection is off
    auto fresh = import(exported.body());
    EXPECT_EQ(fresh.body(), R"({"added":2,"failed_requests":1,"skipped":0,"total_requests":2})");
    EXPECT_EQ(cpa::sdk::toJson(usage()), before);
}

TEST_F(ModuleFixture, BadImportsAre400AndChangeNothing) {
    ctx->events().publish(cpa::sdk::kTopicUsageRecord, event("k", "m", 1, 1));
    const std::string before = cpa::sdk::toJson(usage());
    const std::pair<const char*, const char*> cases[] = {
        {"", "invalid json"},
        {"not json", "invalid json"},
        {R"({"version":1} trailing)", "invalid json"},
        {R"({"version":"1"})", "invalid json"},
        {R"([1])", "invalid json"},
        {R"({"version":2})", "unsupported version"},
        {R"({"version":1,"usage":{"apis":{"k":{"models":{"m":{"details":[{"timestamp":"x"}]}}}}}})", "invalid json"},
        {R"({"version":9,"usage":{"apis":{"k":{"models":{"m":{"details":[{"tokens":{"input_tokens":"5"}}]}}}}}})",
         "invalid json"},
    };
    for (const auto& [body, error] : cases) {
        auto r = import(body);
        EXPECT_EQ(r.status(), 400) << body;
        EXPECT_EQ(r.body(), std::string(R"({"error":")") + error + "\"}") << body;
    }
    EXPECT_EQ(cpa::sdk::toJson(usage()), before);
    EXPECT_EQ(import("{}").body(), R"({"added":0,"failed_requests":0,"skipped":0,"total_requests":1})");
    EXPECT_EQ(import("null").status(), 200);
}

TEST_F(ModuleFixture, RecordsSurviveARestartAndATornLastLine) {
    ctx->events().publish(cpa::sdk::kTopicUsageRecord, event("k", "m", 1, 1));
    import(R"({"usage":{"apis":{"i":{"models":{"n":{"details":[{"timestamp":"2026-03-20T12:00:00Z"}]}}}}}})");
    const std::string before = cpa::sdk::toJson(usage());
    shutdown();
    {
        std::ofstream torn(dir / "data" / "usage.jsonl", std::ios::app);
        torn << R"({"api":"k","model":"m","detail":{"timest)";
    }
    boot(true);
    EXPECT_EQ(cpa::sdk::toJson(usage()), before);
    EXPECT_TRUE(ctx->logger().contains("incomplete last line"));
    ctx->events().publish(cpa::sdk::kTopicUsageRecord, event("k", "m", 2, 2));
    shutdown();
    boot(true);
    EXPECT_EQ(usage()["usage"]["total_requests"].asInt(), 3) << "appends after the cut are readable";
}

TEST_F(ModuleFixture, LargeBodiesAreStreamedFromSharedChunksWithTheSameBytes) {
    for (int i = 0; i < 30000; ++i) {
        Value e = event(i % 2 ? "k1" : "k2", i % 3 ? "m1" : "m2", i, 1);
        module->onRecord(e);
    }
    const std::string expected = module->store().usageBody();
    ASSERT_GT(expected.size(), 4u << 20) << "large enough to take the streamed path";
    std::string joined;
    for (const auto& piece : module->store().usagePieces()) joined += *piece;
    EXPECT_EQ(joined, expected);
    auto r = router->call(Method::Get, "/v0/management/usage");
    EXPECT_EQ(r.status(), 200);
    EXPECT_TRUE(r.streaming());
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/json; charset=utf-8");
    EXPECT_EQ(r.streamed(), expected);
    auto exported = router->call(Method::Get, "/v0/management/usage/export");
    ASSERT_TRUE(exported.streaming());
    Value v = parseJson(exported.streamed());
    EXPECT_EQ(cpa::sdk::toJson(v["usage"]), cpa::sdk::toJson(parseJson(expected)["usage"]));
}
