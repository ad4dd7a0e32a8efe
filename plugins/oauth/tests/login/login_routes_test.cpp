// The login routes through FakeRouter: no socket, no .so. Flows that would
// reach a provider are stopped before (error callbacks, timeouts).
#include "fake_credential_store.hpp"
#include "login/login_flows.hpp"
#include "login/oauth_text.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <regex>
#include <thread>

using namespace cpa::sdk;
using namespace cpa::sdk::testing;
using namespace std::chrono_literals;
using cpa::oauth::login::testing::FakeCredentialStore;

namespace {

const std::string kBase = "/v0/management";

class LoginRoutes : public ::testing::Test {
protected:
    explicit LoginRoutes(Value config = Value::object()) : ctx(std::move(config)) {}
    void SetUp() override {
        store = std::make_shared<FakeCredentialStore>();
        flows = cpa::oauth::registerLoginFlows(ctx, router, store);
    }
    void TearDown() override { flows->stop(); }

    FakeResponse get(const std::string& target) { return router.call(Method::Get, target); }
    FakeResponse callback(const Value& body) {
        return router.call(Method::Post, kBase + "/oauth-callback", toJson(body));
    }
    std::string status(const std::string& state) { return toJson(get(kBase + "/get-auth-status?state=" + state).bodyJson()); }
    /// Polls get-auth-status until it leaves "wait" (or 5 s pass).
    std::string finalStatus(const std::string& state) {
        for (int i = 0; i < 500; ++i) {
            std::string s = status(state);
            if (s != R"({"status":"wait"})") return s;
            std::this_thread::sleep_for(10ms);
        }
        return "still waiting";
    }
    std::string startLogin(const std::string& route, cpa::oauth::login::QueryPairs* query = nullptr) {
        FakeResponse res = get(kBase + route);
        EXPECT_EQ(res.status(), 200) << res.body();
        const Value body = res.bodyJson();
        EXPECT_EQ(body.find("status")->asString(), "ok");
        const std::string url = body.find("url")->asString();
        if (query != nullptr) *query = cpa::oauth::login::parseQuery(url.substr(url.find('?') + 1));
        return body.find("state")->asString();
    }

    FakeContext ctx;
    FakeRouter router;
    std::shared_ptr<FakeCredentialStore> store;
    std::unique_ptr<cpa::oauth::LoginFlows> flows;
};

}  // namespace

TEST_F(LoginRoutes, RegistersEveryRouteWithItsAccessClass) {
    for (const char* r : {"/anthropic-auth-url", "/codex-auth-url", "/gemini-cli-auth-url", "/antigravity-auth-url",
                          "/kimi-auth-url", "/get-auth-status"}) {
        const auto* route = router.find(Method::Get, kBase + r);
        ASSERT_NE(route, nullptr) << r;
        EXPECT_EQ(route->access, Access::Management) << r;
    }
    ASSERT_NE(router.find(Method::Post, kBase + "/oauth-callback"), nullptr);
    EXPECT_EQ(router.find(Method::Post, kBase + "/oauth-callback")->access, Access::Management);
    for (const char* r : {"/anthropic/callback", "/codex/callback", "/google/callback", "/antigravity/callback"}) {
        const auto* route = router.find(Method::Get, r);
        ASSERT_NE(route, nullptr) << r;
        EXPECT_EQ(route->access, Access::Public) << r;
    }
}

TEST_F(LoginRoutes, AnthropicAuthUrlCarriesPkceAndOriginalDefaults) {
    cpa::oauth::login::QueryPairs q;
    const std::string state = startLogin("/anthropic-auth-url", &q);
    EXPECT_TRUE(std::regex_match(state, std::regex("[0-9a-f]{32}")));
    using cpa::oauth::login::firstValue;
    EXPECT_EQ(firstValue(q, "client_id"), "9d1c250a-e61b-44d9-88ed-5944d1962f5e");
    EXPECT_EQ(firstValue(q, "code_challenge_method"), "S256");
    EXPECT_EQ(firstValue(q, "code_challenge").size(), 43u);
    EXPECT_EQ(firstValue(q, "redirect_uri"), "http://localhost:54545/callback");
    EXPECT_EQ(firstValue(q, "state"), state);
    EXPECT_EQ(firstValue(q, "code"), "true");
    EXPECT_EQ(status(state), R"({"status":"wait"})");
    const std::string url = get(kBase + "/anthropic-auth-url").bodyJson().find("url")->asString();
    EXPECT_EQ(url.rfind("https://claude.ai/oauth/authorize?client_id=", 0), 0u) << url;
}

TEST_F(LoginRoutes, GeminiAndAntigravityUseTheirStateFormatsWithoutPkce) {
    cpa::oauth::login::QueryPairs q;
    const std::string gem = startLogin("/gemini-cli-auth-url?project_id=p1", &q);
    EXPECT_TRUE(std::regex_match(gem, std::regex("gem-[0-9]{19}")));
    EXPECT_EQ(cpa::oauth::login::firstValue(q, "code_challenge"), "");
    EXPECT_EQ(cpa::oauth::login::firstValue(q, "access_type"), "offline");
    const std::string ag = startLogin("/antigravity-auth-url", &q);
    EXPECT_TRUE(std::regex_match(ag, std::regex("[0-9a-f]{32}")));
    EXPECT_EQ(cpa::oauth::login::firstValue(q, "redirect_uri"), "http://localhost:51121/oauth-callback");
}

TEST_F(LoginRoutes, AuthStatusFollowsD9) {
    EXPECT_EQ(status(""), R"({"status":"ok"})");
    const FakeResponse bad = get(kBase + "/get-auth-status?state=a..b");
    EXPECT_EQ(bad.status(), 400);
    EXPECT_EQ(toJson(bad.bodyJson()), R"({"status":"error","error":"invalid state"})");
    EXPECT_EQ(status("deadbeef"), R"({"status":"error","error":"unknown or expired state"})");
}

TEST_F(LoginRoutes, OAuthCallbackValidation) {
    auto expect = [&](const Value& body, int code, const std::string& error) {
        const FakeResponse res = callback(body);
        EXPECT_EQ(res.status(), code) << toJson(body);
        EXPECT_EQ(toJson(res.bodyJson()), R"({"status":"error","error":")" + error + "\"}") << toJson(body);
    };
    EXPECT_EQ(router.call(Method::Post, kBase + "/oauth-callback", "nope").status(), 400);
    expect(Value::object({{"provider", "kimi"}, {"state", "s"}, {"code", "c"}}), 400, "unsupported provider");
    expect(Value::object({{"provider", "claude"}, {"code", "c"}}), 400, "state is required");
    expect(Value::object({{"provider", "claude"}, {"state", "a/b"}, {"code", "c"}}), 400, "invalid state");
    expect(Value::object({{"provider", "claude"}, {"state", "abc"}}), 400, "code or error is required");
    expect(Value::object({{"provider", "claude"}, {"redirect_url", "http://localhost:54545/callback?code=c&state=abc"}}),
           404, "unknown or expired state");
    const std::string state = startLogin("/codex-auth-url");
    expect(Value::object({{"provider", "claude"}, {"state", state}, {"code", "c"}}), 400,
           "provider does not match state");
}

TEST_F(LoginRoutes, ProviderErrorEndsInErrorAndLaterCallbacksAreRejected) {
    const std::string state = startLogin("/anthropic-auth-url");
    const FakeResponse ok = callback(Value::object(
        {{"provider", "anthropic"},
         {"redirect_url", "http://localhost:54545/callback?state=" + state + "&error_description=denied"}}));
    EXPECT_EQ(ok.status(), 200);
    EXPECT_EQ(toJson(ok.bodyJson()), R"({"status":"ok"})");
    EXPECT_EQ(finalStatus(state), R"({"status":"error","error":"Bad request"})");
    const FakeResponse again = callback(Value::object({{"provider", "anthropic"}, {"state", state}, {"code", "c"}}));
    EXPECT_EQ(again.status(), 409);
    EXPECT_EQ(store->size(), 0u);
}

TEST_F(LoginRoutes, MainPortCallbackDeliversOnceAndRefusesUnknownStates) {
    const std::string state = startLogin("/codex-auth-url");
    const FakeResponse unknown = get("/codex/callback?state=ffff&code=c");
    EXPECT_EQ(unknown.status(), 400);
    EXPECT_EQ(status(state), R"({"status":"wait"})");
    const FakeResponse wrongProvider = get("/google/callback?state=" + state + "&error=access_denied");
    EXPECT_EQ(wrongProvider.status(), 400);
    const FakeResponse hit = get("/codex/callback?state=" + state + "&error=access_denied");
    EXPECT_EQ(hit.status(), 200);
    EXPECT_EQ(hit.header("Content-Type").value_or(""), "text/html; charset=utf-8");
    EXPECT_NE(hit.body().find("Authentication successful"), std::string::npos);
    EXPECT_EQ(finalStatus(state), R"({"status":"error","error":"Bad Request"})");
    EXPECT_EQ(get("/codex/callback?state=" + state + "&code=c").status(), 400);
    EXPECT_EQ(store->size(), 0u);
}

TEST_F(LoginRoutes, GeminiEmptyCodeIsRejected) {
    const std::string state = startLogin("/gemini-cli-auth-url");
    EXPECT_EQ(get("/google/callback?state=" + state + "&code=").status(), 200);
    EXPECT_EQ(finalStatus(state), R"({"status":"error","error":"Authentication failed: code not found"})");
}

namespace {
// `port: 0` = an ephemeral port the module cannot know (an absent port is 8317).
class EphemeralPort : public LoginRoutes {
protected:
    EphemeralPort() : LoginRoutes(Value::object({{"port", 0}})) {}
};
}  // namespace

TEST_F(EphemeralPort, WebUiNeedsAKnownServerPort) {
    const FakeResponse res = get(kBase + "/anthropic-auth-url?is_webui=true");
    EXPECT_EQ(res.status(), 500);
    EXPECT_EQ(toJson(res.bodyJson()), R"({"error":"callback server unavailable"})");
}

namespace {
class ShortTimeouts : public LoginRoutes {
protected:
    ShortTimeouts()
        : LoginRoutes(Value::object({{"oauth-login", Value::object({{"callback-timeout-ms", 100},
                                                                     {"session-ttl-ms", 60000}})}})) {}
};
}  // namespace

TEST_F(ShortTimeouts, CallbackTimeoutUsesEachProvidersMessage) {
    const std::string a = startLogin("/anthropic-auth-url");
    const std::string g = startLogin("/antigravity-auth-url");
    EXPECT_EQ(finalStatus(a), R"({"status":"error","error":"Timeout waiting for OAuth callback"})");
    EXPECT_EQ(finalStatus(g), R"({"status":"error","error":"OAuth flow timed out"})");
}

TEST_F(LoginRoutes, StopEndsWaitingFlowsPromptly) {
    startLogin("/anthropic-auth-url");
    startLogin("/gemini-cli-auth-url");
    const auto t0 = std::chrono::steady_clock::now();
    flows->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    EXPECT_EQ(get(kBase + "/codex-auth-url").status(), 503);
}
