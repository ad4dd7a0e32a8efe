// The metrics module against the SDK fakes: no socket, no .so.
#include "metrics_module.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

namespace st = cpa::sdk::testing;
using cpa::sdk::Method;
using cpa::sdk::Value;

namespace {

class RefuseAll final : public cpa::sdk::ManagementAccess {
public:
    cpa::sdk::Next check(cpa::sdk::Request&, cpa::sdk::Response& res) override {
        ++calls;
        res.setStatus(401);
        return cpa::sdk::Next::Stop;
    }
    int calls = 0;
};

struct MetricsFixture : ::testing::Test {
    st::FakeContext ctx;
    st::FakeRouter router;
    cpa::metrics::MetricsModule module;
    std::shared_ptr<RefuseAll> access = std::make_shared<RefuseAll>();

    void SetUp() override {
        ctx.services().provide(cpa::sdk::kManagementAccessService,
                               std::static_pointer_cast<cpa::sdk::ManagementAccess>(access));
        module.configure(ctx);
        module.registerRoutes(router);
        module.start();
    }
    void TearDown() override { module.stop(); }
    st::FakeResponse scrape(const std::string& ip) {
        st::FakeRequest req(Method::Get, "/metrics");
        req.setPeerAddress(ip);
        return router.dispatch(req);
    }
};

Value usage(bool failed) {
    return cpa::sdk::parseJson(std::string(R"({"provider":"openai","model":"gpt-x","auth_index":"ab12",
        "api_key":"client-secret-key","source":"sk-upstream-secret","latency_ms":120,"failed":)") +
                               (failed ? "true" : "false") +
                               R"(,"tokens":{"input_tokens":10,"output_tokens":5,"cached_tokens":2,"reasoning_tokens":1}})");
}

}  // namespace

TEST_F(MetricsFixture, UsageRecordsBecomeAttemptsTokensAndLatencyWithoutSecrets) {
    ctx.events().publish("usage.record", usage(false));
    ctx.events().publish("usage.record", usage(false));
    ctx.events().publish("usage.record", usage(true));
    const std::string text = scrape("127.0.0.1").body();
    const std::string l = R"(provider="openai",auth_index="ab12",model="gpt-x")";
    EXPECT_NE(text.find("cpa_upstream_attempts_total{" + l + R"(,outcome="success"} 2)"), std::string::npos) << text;
    EXPECT_NE(text.find("cpa_upstream_attempts_total{" + l + R"(,outcome="failure"} 1)"), std::string::npos);
    EXPECT_NE(text.find("cpa_upstream_tokens_total{" + l + R"(,kind="prompt"} 30)"), std::string::npos);
    EXPECT_NE(text.find("cpa_upstream_tokens_total{" + l + R"(,kind="completion"} 15)"), std::string::npos);
    EXPECT_NE(text.find("cpa_upstream_tokens_total{" + l + R"(,kind="cached"} 6)"), std::string::npos);
    EXPECT_NE(text.find("cpa_upstream_tokens_total{" + l + R"(,kind="reasoning"} 3)"), std::string::npos);
    EXPECT_NE(text.find(R"(cpa_upstream_attempt_duration_seconds_count{provider="openai"} 3)"), std::string::npos);
    EXPECT_EQ(text.find("secret"), std::string::npos) << "neither the client key nor the upstream key";
}

TEST_F(MetricsFixture, ObservedRequestsAreCountedByFamilyRouteAndStatus) {
    cpa::sdk::RequestSample s;
    s.method = "POST";
    s.routePattern = "/v1/chat/completions";
    s.access = cpa::sdk::Access::ClientKey;
    s.routed = true;
    s.status = 200;
    s.latencyNs = 2'000'000;
    s.firstByteNs = 1'000'000;
    module.requests().onRequest(s);
    module.requests().onRequest(s);
    cpa::sdk::RequestSample miss;
    miss.method = "GET";
    miss.status = 404;
    module.requests().onRequest(miss);
    for (const char* odd : {"BREW", "X1", "X2"}) {  // client-chosen methods share one label
        miss.method = odd;
        module.requests().onRequest(miss);
    }
    const std::string text = scrape("::1").body();
    EXPECT_NE(text.find(R"(cpa_http_requests_total{family="openai",route="/v1/chat/completions",method="POST",code="200"} 2)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"(cpa_http_requests_total{family="unmatched",route="",method="GET",code="404"} 1)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(cpa_http_time_to_first_byte_seconds_count{family="openai",stream="false"} 2)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(cpa_http_requests_total{family="unmatched",route="",method="OTHER",code="404"} 3)"),
              std::string::npos);
    EXPECT_EQ(text.find("BREW"), std::string::npos);
}

TEST_F(MetricsFixture, RemoteScrapesNeedAllowRemoteOrPassTheManagementRule) {
    EXPECT_EQ(scrape("10.1.2.3").status(), 401);
    EXPECT_EQ(access->calls, 1);
    ctx.config().update([](Value& root) { root.set("metrics", Value::object({{"allow-remote", true}})); });
    EXPECT_EQ(scrape("10.1.2.3").status(), 200);
    EXPECT_EQ(access->calls, 1) << "allow-remote skips the key check";
}

TEST_F(MetricsFixture, DisabledIs404EvenForLoopback) {
    ctx.config().update([](Value& root) { root.set("metrics", Value::object({{"enabled", false}})); });
    EXPECT_EQ(scrape("127.0.0.1").status(), 404);
}

TEST_F(MetricsFixture, OtherModulesSourcesAreScrapedUntilTheirHandleIsDropped) {
    auto sources = ctx.services().get(cpa::sdk::kMetricSourcesService);
    ASSERT_NE(sources, nullptr);
    auto handle = sources->add([](std::vector<cpa::sdk::MetricSample>& out) {
        out.push_back({"cpa_test_drops_total", "Test.", true, "", 7});
    });
    EXPECT_NE(scrape("127.0.0.1").body().find("cpa_test_drops_total 7\n"), std::string::npos);
    handle.reset();
    EXPECT_EQ(scrape("127.0.0.1").body().find("cpa_test_drops_total"), std::string::npos);
}
