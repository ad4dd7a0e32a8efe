// GET /metrics through the real server: counters follow proxied traffic, the
// scrape passes `promtool check metrics`, remote scrapes follow the rules.
#include "observability_support.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

using namespace cpa::test;
using namespace cpa::test::obs;

namespace {

const char* kUsageReply =
    R"({"id":"c1","object":"chat.completion","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":5,"total_tokens":16,"prompt_tokens_details":{"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":2}}})";

HttpClientOptions from(const std::string& local) {
    HttpClientOptions o;
    o.localAddress = local;
    return o;
}

}  // namespace

TEST(Metrics, CountersMoveWithProxiedTraffic) {
    FakeUpstream up;
    UpstreamReply ok;
    ok.body = kUsageReply;
    up.enqueue(ok);
    up.enqueue(ok);
    UpstreamReply stream;
    stream.headers = {{"Content-Type", "text/event-stream"}};
    stream.events = {"data: {\"choices\":[{\"delta\":{\"content\":\"he\"}}]}\n\n", "data: [DONE]\n\n"};
    up.enqueue(stream);
    ServerProcess srv(server(proxyConfig(up)));
    HttpClient c("127.0.0.1", srv.port());

    const std::string before = c.get("/metrics").body;
    const std::string requests =
        R"(cpa_http_requests_total{family="openai",route="/v1/chat/completions",method="POST",code="200"})";
    EXPECT_FALSE(sampleValue(before, requests)) << before;

    ASSERT_EQ(chat(c).status, 200);
    ASSERT_EQ(chat(c).status, 200);
    ASSERT_EQ(chat(c, true).status, 200);

    const HttpResponse r = c.get("/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type").value_or(""), "text/plain; version=0.0.4; charset=utf-8");
    const std::string& m = r.body;
    EXPECT_EQ(sampleValue(m, requests), 3.0) << m;
    const std::string acme = R"(provider="acme",auth_index=")";
    // One series per credential: find its auth index from the attempts line.
    std::smatch found;
    ASSERT_TRUE(std::regex_search(m, found, std::regex(R"re(cpa_upstream_attempts_total\{provider="acme",auth_index="([^"]+)")re")))
        << m;
    const std::string authIndex = found[1];
    const std::string labels = acme + authIndex + R"(",model="up-model")";
    EXPECT_EQ(sampleValue(m, "cpa_upstream_attempts_total{" + labels + R"(,outcome="success"})"), 3.0) << m;
    EXPECT_EQ(sampleValue(m, "cpa_upstream_tokens_total{" + labels + R"(,kind="prompt"})"), 22.0) << m;
    EXPECT_EQ(sampleValue(m, "cpa_upstream_tokens_total{" + labels + R"(,kind="completion"})"), 10.0) << m;
    EXPECT_EQ(sampleValue(m, "cpa_upstream_tokens_total{" + labels + R"(,kind="cached"})"), 6.0) << m;
    EXPECT_EQ(sampleValue(m, "cpa_upstream_tokens_total{" + labels + R"(,kind="reasoning"})"), 4.0) << m;
    EXPECT_EQ(sampleValue(m, R"(cpa_upstream_attempt_duration_seconds_count{provider="acme"})"), 3.0);
    EXPECT_EQ(sampleValue(m, R"(cpa_http_request_duration_seconds_count{family="openai",stream="false"})"), 2.0);
    EXPECT_EQ(sampleValue(m, R"(cpa_http_request_duration_seconds_count{family="openai",stream="true"})"), 1.0);
    EXPECT_EQ(sampleValue(m, R"(cpa_http_time_to_first_byte_seconds_count{family="openai",stream="true"})"), 1.0);
    EXPECT_EQ(sampleValue(m, R"(cpa_http_time_to_first_byte_seconds_bucket{family="openai",stream="false",le="+Inf"})"),
              2.0);
    EXPECT_EQ(sampleValue(m, "cpa_http_active_streams"), 0.0);
    EXPECT_EQ(sampleValue(m, "cpa_http_requests_in_flight"), 1.0) << "the scrape itself";
    EXPECT_GE(sampleValue(m, "cpa_http_open_connections").value_or(0), 1.0);
    EXPECT_EQ(sampleValue(m, R"(cpa_log_queue_dropped_total{log="request"})"), 0.0) << m;
    EXPECT_NE(m.find("cpa_build_info{version=\""), std::string::npos);
    EXPECT_EQ(m.find("sk-up-1"), std::string::npos) << "never an upstream key";
    EXPECT_EQ(m.find("sk-client-1"), std::string::npos) << "never a client key";

    // The previous scrape counted too.
    EXPECT_EQ(sampleValue(m, R"(cpa_http_requests_total{family="metrics",route="/metrics",method="GET",code="200"})"),
              1.0);
}

TEST(Metrics, ARealScrapePassesPromtool) {
    FakeUpstream up;
    UpstreamReply ok;
    ok.body = kUsageReply;
    up.enqueue(ok);
    ServerProcess srv(server(proxyConfig(up)));
    HttpClient c("127.0.0.1", srv.port());
    ASSERT_EQ(chat(c).status, 200);
    ASSERT_EQ(c.get("/nowhere").status, 404);
    ASSERT_EQ(c.get("/v0/management/config", kMgmt).status, 200);
    const HttpResponse r = c.get("/metrics");
    ASSERT_EQ(r.status, 200);
    const auto file = srv.dir() / "scrape.txt";
    std::ofstream(file, std::ios::binary) << r.body;
    const auto out = srv.dir() / "promtool.out";
    // CI installs promtool (scripts/install-deps); a missing one fails here (127).
    const std::string cmd = "promtool check metrics < '" + file.string() + "' > '" + out.string() + "' 2>&1";
    const int rc = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(rc));
    EXPECT_EQ(WEXITSTATUS(rc), 0) << slurp(out) << "\n--- scrape ---\n" << r.body;
}

TEST(Metrics, RemoteScrapesNeedAllowRemoteOrTheManagementKey) {
    FakeUpstream up;
    // Loopback peer 127.0.0.2 is a trusted proxy; X-Forwarded-For makes the client remote.
    const std::string trusted = "trusted-proxies: [\"127.0.0.2\"]\n";
    const HeaderList remote = {{"X-Forwarded-For", "203.0.113.9"}};
    HeaderList remoteWithKey = remote;
    remoteWithKey.insert(remoteWithKey.end(), kMgmt.begin(), kMgmt.end());
    {
        ServerProcess srv(server(proxyConfig(up, trusted)));
        HttpClient c("127.0.0.1", srv.port(), from("127.0.0.2"));
        const HttpResponse refused = c.get("/metrics", remote);
        EXPECT_EQ(refused.status, 403) << refused.body;  // remote management is off: so are remote scrapes
        EXPECT_EQ(refused.body.find("cpa_"), std::string::npos);
        EXPECT_EQ(c.get("/metrics", remoteWithKey).status, 403) << "the management rules: no remote management";
        EXPECT_EQ(c.get("/metrics").status, 403) << "127.0.0.2 is not local (the management rule: 127.0.0.1, ::1)";
        HttpClient local("127.0.0.1", srv.port());
        EXPECT_EQ(local.get("/metrics").status, 200);
    }
    {
        ServerProcess srv(server(proxyConfig(up, trusted, true)));
        HttpClient c("127.0.0.1", srv.port(), from("127.0.0.2"));
        EXPECT_EQ(c.get("/metrics", remote).status, 401) << "no key";
        EXPECT_EQ(c.get("/metrics", remoteWithKey).status, 200);
    }
    {
        ServerProcess srv(server(proxyConfig(up, trusted + "metrics:\n  allow-remote: true\n")));
        HttpClient c("127.0.0.1", srv.port(), from("127.0.0.2"));
        EXPECT_EQ(c.get("/metrics", remote).status, 200);
    }
    {
        ServerProcess srv(server(proxyConfig(up, "metrics:\n  enabled: false\n")));
        HttpClient c("127.0.0.1", srv.port());
        EXPECT_EQ(c.get("/metrics").status, 404);
    }
}

TEST(Metrics, ACoolingCredentialAndAFailedAttemptShowInTheScrape) {
    FakeUpstream up;
    UpstreamReply denied;
    denied.status = 401;
    denied.body = R"({"error":{"message":"bad upstream key"}})";
    up.enqueue(denied);
    ServerProcess srv(server(proxyConfig(up)));
    HttpClient c("127.0.0.1", srv.port());
    const std::string before = c.get("/metrics").body;
    std::smatch found;
    ASSERT_TRUE(std::regex_search(before, found,
                                  std::regex(R"re(cpa_credential_cooling_models\{provider="acme",auth_index="([^"]+)"\} 0)re")))
        << before;
    const std::string labels = R"(provider="acme",auth_index=")" + found[1].str() + "\"";
    EXPECT_EQ(sampleValue(before, "cpa_credentials_active"), 1.0);

    ASSERT_EQ(chat(c).status, 401);
    const std::string m = c.get("/metrics").body;
    EXPECT_EQ(sampleValue(m, "cpa_credential_cooling_models{" + labels + "}"), 1.0) << m;
    EXPECT_EQ(sampleValue(m, "cpa_upstream_attempts_total{" + labels + R"(,model="up-model",outcome="failure"})"), 1.0)
        << m;
    EXPECT_EQ(sampleValue(m, R"(cpa_http_requests_total{family="openai",route="/v1/chat/completions",method="POST",code="401"})"),
              1.0);
}

TEST(Metrics, ConfigReloadsAndRefusedEditsAreCounted) {
    FakeUpstream up;
    ServerProcess srv(server(proxyConfig(up)));
    HttpClient c("127.0.0.1", srv.port());
    auto counter = [&](const std::string& name) { return sampleValue(c.get("/metrics").body, name).value_or(-1); };
    EXPECT_EQ(counter("cpa_config_reloads_total"), 0.0);
    EXPECT_EQ(counter("cpa_config_reload_failures_total"), 0.0);

    proxy::writeFile(srv.configPath(), "port: [unclosed\n");
    ASSERT_TRUE(eventually([&] { return counter("cpa_config_reload_failures_total") == 1.0; }));
    proxy::writeFile(srv.configPath(), proxyConfig(up, "debug: true\n"));
    ASSERT_TRUE(eventually([&] { return counter("cpa_config_reloads_total") == 1.0; }));
    EXPECT_EQ(counter("cpa_config_reload_failures_total"), 1.0);
}
