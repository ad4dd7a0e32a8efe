// The usage module through the real server: exact /usage after known events,
// export → import, restart, kill -9 during a burst, the live toggle.
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

using namespace cpa::test;
using namespace std::chrono_literals;

namespace {

const HeaderList kAuth = {{"Authorization", "Bearer usage-secret"}};
const std::string kUsage = "/v0/management/usage";

std::string config(const std::filesystem::path& dataDir, bool enabled = true) {
    return loopbackConfig("remote-management:\n  secret-key: \"usage-secret\"\n"
                          "usage-statistics-enabled: " +
                          std::string(enabled ? "true" : "false") + "\ndata-dir: \"" + dataDir.string() + "\"\n");
}

ServerProcessOptions options(const std::filesystem::path& dataDir, bool enabled = true) {
    ServerProcessOptions o;
    o.configText = config(dataDir, enabled);
    o.modulesDir = kModulesDir;
    return o;
}

void publish(HttpClient& c, const std::string& json) {
    auto r = c.request("POST", "/test/usage/publish", {}, json);
    ASSERT_EQ(r.status, 200) << r.body;
}

const char* kEvents = R"([
 {"provider":"codex","model":"gpt-5","api_key":"sk-client-key-1","endpoint":"POST /v1/chat/completions",
  "auth_id":"a.json","auth_index":"3f2a9c0d1b7e4a55","auth_type":"oauth","source":"user@example.com","request_id":"r1",
  "requested_at":"2026-05-01T12:00:03.123+08:00","latency_ms":1500,"failed":false,
  "tokens":{"input_tokens":500,"output_tokens":100,"reasoning_tokens":0,"cached_tokens":0,"total_tokens":0}},
 {"provider":"codex","model":"gpt-5","api_key":"sk-client-key-1","endpoint":"POST /v1/chat/completions",
  "auth_index":"3f2a9c0d1b7e4a55","source":"user@example.com","requested_at":"2026-05-01T12:10:00+08:00",
  "latency_ms":900,"failed":false,
  "tokens":{"input_tokens":400,"output_tokens":150,"reasoning_tokens":50,"cached_tokens":20,"total_tokens":600}},
 {"provider":"claude","model":"claude-sonnet","api_key":"","endpoint":"POST /v1/messages","auth_index":"",
  "source":"","requested_at":"2026-05-01T13:59:59.500+08:00","latency_ms":-5,"failed":true,
  "tokens":{"input_tokens":500,"output_tokens":0,"reasoning_tokens":0,"cached_tokens":0,"total_tokens":0}}
])";

const char* kExpected =
    R"({"failed_requests":1,"usage":{"total_requests":3,"success_count":2,"failure_count":1,"total_tokens":1700,)"
    R"("apis":{"POST /v1/messages":{"total_requests":1,"total_tokens":500,"models":{"claude-sonnet":{)"
    R"("total_requests":1,"total_tokens":500,"details":[{"timestamp":"2026-05-01T13:59:59.5+08:00","latency_ms":0,)"
    R"("source":"","auth_index":"","tokens":{"input_tokens":500,"output_tokens":0,"reasoning_tokens":0,)"
    R"("cached_tokens":0,"total_tokens":500},"failed":true}]}}},)"
    R"("sk-client-key-1":{"total_requests":2,"total_tokens":1200,"models":{"gpt-5":{"total_requests":2,)"
    R"("total_tokens":1200,"details":[{"timestamp":"2026-05-01T12:00:03.123+08:00","latency_ms":1500,)"
    R"("source":"user@example.com","auth_index":"3f2a9c0d1b7e4a55","tokens":{"input_tokens":500,)"
    R"("output_tokens":100,"reasoning_tokens":0,"cached_tokens":0,"total_tokens":600},"failed":false},)"
    R"({"timestamp":"2026-05-01T12:10:00+08:00","latency_ms":900,"source":"user@example.com",)"
    R"("auth_index":"3f2a9c0d1b7e4a55","tokens":{"input_tokens":400,"output_tokens":150,"reasoning_tokens":50,)"
    R"("cached_tokens":20,"total_tokens":600},"failed":false}]}}}},)"
    R"("requests_by_day":{"2026-05-01":3},"requests_by_hour":{"12":2,"13":1},)"
    R"("tokens_by_day":{"2026-05-01":1700},"tokens_by_hour":{"12":1200,"13":500}}})";

std::string seqEvent(int n) {
    return R"({"model":"m","api_key":"burst","source":"seq-)" + std::to_string(n) +
           R"(","requested_at":"2026-05-01T12:00:00+08:00","latency_ms":1,"tokens":{"input_tokens":1}})";
}

}  // namespace

TEST(UsageIntegration, EveryFieldAfterAKnownSequence) {
    TempDir data("cpa-usage-data");
    ServerProcess server(options(data.path()));
    HttpClient c("127.0.0.1", server.port());
    auto empty = c.get(kUsage, kAuth);
    ASSERT_EQ(empty.status, 200);
    EXPECT_EQ(empty.body,
              R"({"failed_requests":0,"usage":{"total_requests":0,"success_count":0,"failure_count":0,)"
              R"("total_tokens":0,"apis":{},"requests_by_day":{},"requests_by_hour":{},"tokens_by_day":{},)"
              R"("tokens_by_hour":{}}})");
    publish(c, kEvents);
    auto r = c.get(kUsage, kAuth);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/json; charset=utf-8");
    EXPECT_EQ(r.body, kExpected);
    EXPECT_EQ(c.get(kUsage).status, 401) << "management auth is required";
}

TEST(UsageIntegration, ExportImportIntoAFreshServerReproducesUsageAndTwiceAddsNothing) {
    TempDir dataA("cpa-usage-a");
    TempDir dataB("cpa-usage-b");
    ServerProcess a(options(dataA.path()));
    HttpClient ca("127.0.0.1", a.port());
    publish(ca, kEvents);
    auto exported = ca.get(kUsage + "/export", kAuth);
    ASSERT_EQ(exported.status, 200);
    auto obj = jsonObject(exported.body);
    EXPECT_EQ(obj->getValue<int>("version"), 1);
    const std::string exportedAt = obj->getValue<std::string>("exported_at");
    EXPECT_EQ(exportedAt.back(), 'Z') << exportedAt;

    ServerProcess b(options(dataB.path(), false));
    HttpClient cb("127.0.0.1", b.port());
    auto first = cb.request("POST", kUsage + "/import", kAuth, exported.body);
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(first.body, R"({"added":3,"failed_requests":1,"skipped":0,"total_requests":3})");
    EXPECT_EQ(cb.get(kUsage, kAuth).body, kExpected);
    auto second = cb.request("POST", kUsage + "/import", kAuth, exported.body);
    EXPECT_EQ(second.body, R"({"added":0,"failed_requests":1,"skipped":3,"total_requests":3})");
    // The raw GET /usage body is accepted too.
    auto raw = cb.request("POST", kUsage + "/import", kAuth, kExpected);
    EXPECT_EQ(raw.body, R"({"added":0,"failed_requests":1,"skipped":3,"total_requests":3})");
    auto bad = cb.request("POST", kUsage + "/import", kAuth, R"({"version":3})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body, R"({"error":"unsupported version"})");
    EXPECT_EQ(cb.get(kUsage, kAuth).body, kExpected);
}

TEST(UsageIntegration, RestartKeepsEverything) {
    TempDir data("cpa-usage-data");
    {
        ServerProcess server(options(data.path()));
        HttpClient c("127.0.0.1", server.port());
        publish(c, kEvents);
        server.sigterm();
        ASSERT_EQ(server.waitExit(10s), 0) << server.stderrText();
    }
    EXPECT_TRUE(std::filesystem::exists(data.path() / "usage.jsonl"));
    ServerProcess again(options(data.path()));
    HttpClient c("127.0.0.1", again.port());
    EXPECT_EQ(c.get(kUsage, kAuth).body, kExpected);
}

TEST(UsageIntegration, KillNineDuringABurstLeavesAPrefix) {
    TempDir data("cpa-usage-data");
    constexpr int kTotal = 10000, kBatch = 100;
    std::atomic<int> acked{0};
    {
        ServerProcess server(options(data.path()));
        const auto port = server.port();
        std::thread burst([&] {
            try {
                HttpClient c("127.0.0.1", port);
                for (int start = 0; start < kTotal; start += kBatch) {
                    std::string body = "[";
                    for (int i = start; i < start + kBatch; ++i) body += (i > start ? "," : "") + seqEvent(i);
                    body += "]";
                    if (c.request("POST", "/test/usage/publish", {}, body).status != 200) return;
                    acked = start + kBatch;
                    std::this_thread::sleep_for(25ms);  // a burst of ~3 s, so the kill lands inside it
                }
            } catch (const std::exception&) {
                // the server was killed mid-request
            }
        });
        while (acked.load() < 2000) std::this_thread::sleep_for(1ms);
        const int durable = acked.load();
        std::this_thread::sleep_for(1200ms);  // records older than a second must survive
        const int atKill = acked.load();
        server.signal(SIGKILL);
        server.waitExit(5s);
        EXPECT_LT(atKill, kTotal) << "the kill must land during the burst";
        burst.join();
        EXPECT_GE(acked.load(), durable);
        ServerProcess again(options(data.path()));
        HttpClient c("127.0.0.1", again.port());
        auto r = c.get(kUsage, kAuth);
        ASSERT_EQ(r.status, 200);
        auto usage = jsonObject(r.body)->getObject("usage");
        const int total = usage->getValue<int>("total_requests");
        EXPECT_GE(total, durable);
        EXPECT_LE(total, kTotal);
        auto details = usage->getObject("apis")->getObject("burst")->getObject("models")->getObject("m")->getArray(
            "details");
        ASSERT_EQ(static_cast<int>(details->size()), total);
        for (int i = 0; i < total; ++i) {
            ASSERT_EQ(details->getObject(static_cast<unsigned>(i))->getValue<std::string>("source"),
                      "seq-" + std::to_string(i));
        }
    }
}

TEST(UsageIntegration, TheToggleTakesEffectAtOnce) {
    TempDir data("cpa-usage-data");
    ServerProcess server(options(data.path(), false));
    HttpClient c("127.0.0.1", server.port());
    publish(c, seqEvent(0));
    EXPECT_EQ(jsonObject(c.get(kUsage, kAuth).body)->getValue<int>("failed_requests"), 0);
    EXPECT_EQ(jsonObject(c.get(kUsage, kAuth).body)->getObject("usage")->getValue<int>("total_requests"), 0);
    auto put = c.request("PUT", "/v0/management/usage-statistics-enabled", kAuth, R"({"value":true})");
    ASSERT_EQ(put.status, 200) << put.body;
    publish(c, seqEvent(1));
    EXPECT_EQ(jsonObject(c.get(kUsage, kAuth).body)->getObject("usage")->getValue<int>("total_requests"), 1);
    c.request("PUT", "/v0/management/usage-statistics-enabled", kAuth, R"({"value":false})");
    publish(c, seqEvent(2));
    EXPECT_EQ(jsonObject(c.get(kUsage, kAuth).body)->getObject("usage")->getValue<int>("total_requests"), 1);
}

TEST(UsageIntegration, ALargeUsageBodyIsStreamedIntact) {
    TempDir data("cpa-usage-data");
    ServerProcess server(options(data.path()));
    HttpClient c("127.0.0.1", server.port());
    constexpr int kTotal = 25000, kBatch = 5000;  // ~6 MB of details: the streamed path
    for (int start = 0; start < kTotal; start += kBatch) {
        std::string body = "[";
        for (int i = start; i < start + kBatch; ++i) body += (i > start ? "," : "") + seqEvent(i);
        publish(c, body + "]");
    }
    auto r = c.get(kUsage, kAuth);
    ASSERT_EQ(r.status, 200);
    EXPECT_GT(r.body.size(), 4u << 20);
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/json; charset=utf-8");
    auto details = jsonObject(r.body)->getObject("usage")->getObject("apis")->getObject("burst")->getObject(
        "models")->getObject("m")->getArray("details");
    ASSERT_EQ(static_cast<int>(details->size()), kTotal);
    EXPECT_EQ(details->getObject(kTotal - 1)->getValue<std::string>("source"), "seq-" + std::to_string(kTotal - 1));
    auto exported = c.get(kUsage + "/export", kAuth);
    ASSERT_EQ(exported.status, 200);
    TempDir fresh("cpa-usage-fresh");
    ServerProcess other(options(fresh.path(), false));
    HttpClient c2("127.0.0.1", other.port());
    auto imported = c2.request("POST", kUsage + "/import", kAuth, exported.body);
    EXPECT_EQ(imported.body, R"({"added":25000,"failed_requests":0,"skipped":0,"total_requests":25000})");
    EXPECT_EQ(c2.get(kUsage, kAuth).body, r.body);
}

// POST /usage/import answers only once its records are on disk: a kill -9
// right after the 200 loses none of them (before, the writer thread had not
// even written them yet).
TEST(UsageIntegration, AnAcknowledgedImportSurvivesKillNine) {
    TempDir data("cpa-usage-data");
    constexpr int kRecords = 723;
    std::string details;
    for (int i = 0; i < kRecords; ++i) {
        details += (i > 0 ? "," : "") + std::string(R"({"timestamp":"2026-05-01T12:00:00+08:00","latency_ms":1,)") +
                   R"("source":"imp-)" + std::to_string(i) +
                   R"(","auth_index":"","tokens":{"input_tokens":1,"output_tokens":0,"reasoning_tokens":0,)"
                   R"("cached_tokens":0,"total_tokens":1},"failed":false})";
    }
    const std::string body = R"({"version":1,"usage":{"apis":{"imported":{"models":{"m":{"details":[)" + details +
                             "]}}}}}}";
    {
        ServerProcess server(options(data.path(), false));
        HttpClient c("127.0.0.1", server.port());
        auto r = c.request("POST", kUsage + "/import", kAuth, body);
        ASSERT_EQ(r.status, 200) << r.body;
        server.signal(SIGKILL);  // at once: no shutdown flush
        server.waitExit(10s);
    }
    // On disk: one line per imported record.
    const std::string log = readFile(data.path() / "usage.jsonl");
    EXPECT_EQ(countOccurrences(log, "\n"), static_cast<std::size_t>(kRecords));
    EXPECT_EQ(countOccurrences(log, R"("source":"imp-)"), static_cast<std::size_t>(kRecords));
    EXPECT_EQ(countOccurrences(log, R"("source":"imp-722")"), 1u);
    // Through the API after a restart.
    ServerProcess again(options(data.path(), false));
    HttpClient c("127.0.0.1", again.port());
    auto usage = jsonObject(c.get(kUsage, kAuth).body)->getObject("usage");
    EXPECT_EQ(usage->getValue<int>("total_requests"), kRecords);
    auto restored = usage->getObject("apis")->getObject("imported")->getObject("models")->getObject("m")->getArray(
        "details");
    ASSERT_EQ(static_cast<int>(restored->size()), kRecords);
    EXPECT_EQ(restored->getObject(kRecords - 1)->getValue<std::string>("source"), "imp-722");
}
