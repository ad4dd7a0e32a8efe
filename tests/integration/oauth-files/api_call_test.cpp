// POST /api-call against a recording upstream (and a recording HTTP proxy)
// on loopback: token substitution, proxy precedence, envelope and errors.
#include "loopback_server.hpp"
#include "config_credentials.hpp"
#include "oauth_files_support.hpp"

#include <cpa/sdk/credential_identity.hpp>

#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <thread>
#include <vector>

using namespace cpa::test;

namespace {

std::string call(const std::string& url, const std::string& extra = "") {
    return R"({"method":"get","url":")" + url + "\"" + extra + "}";
}

const std::string kAlphaIndex = cpa::sdk::fileAuthIndex("alpha.json");

}  // namespace

TEST(OAuthApiCall, TokenSubstitutionAndEnvelope) {
    LoopbackServer up({404, {{"Content-Type", "application/json"}, {"X-Multi", "1"}, {"x-multi", "2"}},
                       "{\"error\":\"not found\"}"});
    OAuthServer s("", false);
    s.put("alpha.json", R"({"type":"claude","access_token":"tok-alpha"})");
    s.put("empty.json", R"({"type":"claude","email":"e@x.com"})");
    s.start();

    auto r = s.call("POST", "/api-call",
                    R"({"auth_index":")" + kAlphaIndex + R"(","method":" post ","url":")" + up.url("/v1/ping?q=1") +
                        R"(","header":{"authorization":"Bearer $TOKEN$","X-Twice":"$TOKEN$-$TOKEN$","Host":" api.example.com "},"data":"{\"a\":1}"})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = jsonObject(r.body);
    EXPECT_EQ(o->getValue<int>("status_code"), 404);
    EXPECT_EQ(o->getValue<std::string>("body"), "{\"error\":\"not found\"}");
    auto h = o->getObject("header");
    EXPECT_EQ(h->getArray("Content-Type")->getElement<std::string>(0), "application/json");
    EXPECT_EQ(h->getArray("X-Multi")->size(), 2u);
    EXPECT_LT(r.body.find("\"status_code\""), r.body.find("\"header\""));

    auto seen = up.requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "POST");
    EXPECT_EQ(seen[0].target, "/v1/ping?q=1");
    EXPECT_EQ(seen[0].header("Authorization"), "Bearer tok-alpha");
    EXPECT_EQ(seen[0].header("X-Twice"), "tok-alpha-tok-alpha");
    EXPECT_EQ(seen[0].header("Host"), "api.example.com");
    EXPECT_EQ(seen[0].body, "{\"a\":1}");

    // No credential: $TOKEN$ goes out literally; URL and data never change.
    r = s.call("POST", "/api-call", call(up.url("/$TOKEN$"), R"(,"header":{"X-T":"$TOKEN$"},"data":"$TOKEN$")"));
    ASSERT_EQ(r.status, 200);
    seen = up.requests();
    EXPECT_EQ(seen.back().header("X-T"), "$TOKEN$");
    EXPECT_EQ(seen.back().target, "/$TOKEN$");
    EXPECT_EQ(seen.back().body, "$TOKEN$");

    // A credential without a token.
    r = s.call("POST", "/api-call",
               call(up.url(), R"(,"authIndex":")" + cpa::sdk::fileAuthIndex("empty.json") +
                                  R"(","header":{"Authorization":"Bearer $TOKEN$"})"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"auth token not found"})");
    EXPECT_EQ(up.requests().size(), 2u);
}

TEST(OAuthApiCall, ConfigApiKeyCredential) {
    LoopbackServer up;
    const std::string cfg = "claude-api-key:\n  - api-key: \"sk-config-1\"\n    base-url: \"" + up.url() + "\"\n";
    OAuthServer s(cfg);
    auto root = cpa::sdk::Value::object(
        {{"claude-api-key", cpa::sdk::Value(cpa::sdk::Value::Array{cpa::sdk::Value::object(
                                {{"api-key", "sk-config-1"}, {"base-url", up.url()}})})}});
    auto creds = cpa::provider_keys::synthesizeConfigCredentials(root);
    ASSERT_EQ(creds.size(), 1u);
    auto r = s.call("POST", "/api-call",
                    call(up.url("/k"), R"(,"AuthIndex":")" + creds[0].authIndex +
                                           R"(","header":{"x-api-key":"$TOKEN$"})"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(up.requests().at(0).header("X-Api-Key"), "sk-config-1");
}

TEST(OAuthApiCall, ProxyPrecedence) {
    LoopbackServer up({200, {}, "direct"});
    LoopbackServer credProxy({200, {}, "via-cred-proxy"});
    LoopbackServer globalProxy({200, {}, "via-global-proxy"});
    OAuthServer s("proxy-url: \"" + globalProxy.url("") + "\"\n", false);
    s.put("alpha.json", R"({"type":"claude","access_token":"t","proxy_url":")" + credProxy.url("") + "\"}");
    s.put("direct.json", R"({"type":"claude","access_token":"t","proxy_url":"direct"})");
    s.put("bad.json", R"({"type":"claude","access_token":"t","proxy_url":"bad-value"})");
    s.start();
    auto via = [&](const std::string& index) {
        auto r = s.call("POST", "/api-call", call(up.url("/p"), R"(,"auth_index":")" + index + "\""));
        if (r.status != 200) return "status " + std::to_string(r.status);
        return jsonObject(r.body)->getValue<std::string>("body");
    };
    EXPECT_EQ(via(kAlphaIndex), "via-cred-proxy");
    ASSERT_EQ(credProxy.requests().size(), 1u);
    EXPECT_EQ(credProxy.requests()[0].target, up.url("/p"));  // absolute form: it was proxied
    EXPECT_EQ(via(cpa::sdk::fileAuthIndex("direct.json")), "direct");
    EXPECT_EQ(via(cpa::sdk::fileAuthIndex("bad.json")), "via-global-proxy");
    EXPECT_EQ(via(""), "via-global-proxy");
    EXPECT_EQ(via("0000000000000000"), "via-global-proxy");
    EXPECT_EQ(up.requests().size(), 1u);
}

TEST(OAuthApiCall, ValidationAndTransportErrors) {
    OAuthServer s;
    int closedPort = 0;
    {
        Poco::Net::ServerSocket sock(Poco::Net::SocketAddress("127.0.0.1", 0));
        closedPort = sock.address().port();
    }
    struct Case {
        std::string body;
        int status;
        std::string reply;
    };
    for (const Case& c : std::vector<Case>{
             {"nope", 400, R"({"error":"invalid body"})"},
             {R"({"method":5,"url":"http://x"})", 400, R"({"error":"invalid body"})"},
             {R"({"method":"GET","url":"http://x","header":{"a":1}})", 400, R"({"error":"invalid body"})"},
             {R"({"method":" ","url":"http://x"})", 400, R"({"error":"missing method"})"},
             {R"({"method":"GET"})", 400, R"({"error":"missing url"})"},
             {R"({"method":"GET","url":"/relative"})", 400, R"({"error":"invalid url"})"},
             {R"({"method":"GET","url":"http://"})", 400, R"({"error":"invalid url"})"},
             {R"({"method":"GE T","url":"http://127.0.0.1:1/"})", 400, R"({"error":"failed to build request"})"},
             {R"({"method":"GET","url":"http://127.0.0.1:1/","header":{"X-A":"a\r\nInjected: 1"}})", 502,
              R"({"error":"request failed"})"},
             {R"({"method":"GET","url":"http://127.0.0.1:)" + std::to_string(closedPort) + R"(/"})", 502,
              R"({"error":"request failed"})"},
             {R"({"method":"GET","url":"ftp://127.0.0.1/"})", 502, R"({"error":"request failed"})"}}) {
        auto r = s.call("POST", "/api-call", c.body);
        EXPECT_EQ(r.status, c.status) << c.body;
        EXPECT_EQ(r.body, c.reply) << c.body;
    }
}

TEST(OAuthApiCall, OAuthRefreshForGoogleProviders) {
    LoopbackServer up;
    // The background refresh (oauth-executors.md §2.1) tries the two expired
    // files with a refresh token as soon as the server starts: refused, it
    // writes nothing, and the api-call.md §3.1 refresh is what is tested here.
    LoopbackServer tokens({400, {{"Content-Type", "application/json"}}, R"({"error":"invalid_grant"})"});
    const std::string cfg = "oauth-login:\n  gemini-cli:\n    token-url: \"" + tokens.url("/gemini-token") +
                            "\"\n  antigravity:\n    token-url: \"" + tokens.url("/ag-token") + "\"\n";
    OAuthServer s(cfg, false);
    s.put("ag.json", R"({"type":"antigravity","access_token":"old","refresh_token":"rt-1","expired":"2020-01-01T00:00:00Z"})");
    s.put("ag-ok.json", R"({"type":"antigravity","access_token":"still-good","expired":"2099-01-01T00:00:00Z"})");
    s.put("gem.json", R"({"type":"gemini","token":{"access_token":"g-old","refresh_token":"g-rt","expiry":"2020-01-01T00:00:00Z"}})");
    s.put("gem-ok.json", R"({"type":"gemini","token":{"access_token":"g-good","expiry":"2099-01-01T00:00:00Z"}})");
    s.put("gem-norefresh.json", R"({"type":"gemini","token":{"access_token":"x","expiry":"2020-01-01T00:00:00Z"}})");
    s.start();
    for (int i = 0; i < 200 && tokens.requests().size() < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(tokens.requests().size(), 2u) << "the background loop refreshes ag.json and gem.json";
    const std::size_t background = 2;
    tokens.setReply({200, {{"Content-Type", "application/json"}},
                     R"({"access_token":"fresh-token","refresh_token":"rt-2","expires_in":3600,"token_type":"Bearer"})"});
    auto auth = [&](const std::string& file) {
        auto r = s.call("POST", "/api-call",
                        call(up.url(), R"(,"auth_index":")" + cpa::sdk::fileAuthIndex(file) +
                                           R"(","header":{"Authorization":"Bearer $TOKEN$"})"));
        if (r.status != 200) return r.body;
        return up.requests().back().header("Authorization");
    };
    EXPECT_EQ(auth("ag-ok.json"), "Bearer still-good");
    EXPECT_EQ(auth("gem-ok.json"), "Bearer g-good");
    EXPECT_EQ(tokens.requests().size(), background);

    EXPECT_EQ(auth("ag.json"), "Bearer fresh-token");
    ASSERT_EQ(tokens.requests().size(), background + 1);
    EXPECT_EQ(tokens.requests()[background].target, "/ag-token");
    EXPECT_NE(tokens.requests()[background].body.find("grant_type=refresh_token&refresh_token=rt-1"), std::string::npos);
    // Persisted: the file now holds the new tokens.
    auto saved = jsonObject(fileText(s.auth / "ag.json"));
    EXPECT_EQ(saved->getValue<std::string>("access_token"), "fresh-token");
    EXPECT_EQ(saved->getValue<std::string>("refresh_token"), "rt-2");
    EXPECT_EQ(saved->getValue<int>("expires_in"), 3600);
    EXPECT_EQ(fileMode(s.auth / "ag.json"), 0600u);

    EXPECT_EQ(auth("gem.json"), "Bearer fresh-token");
    EXPECT_EQ(tokens.requests().back().target, "/gemini-token");
    EXPECT_NE(fileText(s.auth / "gem.json").find("g-old"), std::string::npos);  // gemini: not persisted

    EXPECT_EQ(auth("gem-norefresh.json"), R"({"error":"auth token refresh failed"})");
    tokens.setReply({401, {}, R"({"error":"invalid_grant"})"});
    EXPECT_EQ(auth("gem.json"), R"({"error":"auth token refresh failed"})");
}

TEST(OAuthApiCall, ConcurrentCallsOnAnExpiredAntigravityFileRefreshItOnce) {
    // An Antigravity refresh is persisted, so /api-call takes the token
    // service's flight lock (and, on a shared store, its cross-instance
    // guard): concurrent calls share one refresh; a back-off left by a failed
    // background refresh does not hold /api-call back (api-call.md §3.1).
    LoopbackServer up;
    LoopbackServer tokens({400, {{"Content-Type", "application/json"}}, R"({"error":"invalid_grant"})"});
    OAuthServer s("oauth-login:\n  antigravity:\n    token-url: \"" + tokens.url("/ag-token") + "\"\n", false);
    s.put("ag.json", R"({"type":"antigravity","access_token":"old","refresh_token":"rt-1","expired":"2020-01-01T00:00:00Z"})");
    s.start();
    for (int i = 0; i < 200 && tokens.requests().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(tokens.requests().size(), 1u) << "the background loop tries ag.json once at start";
    tokens.setReply({200, {{"Content-Type", "application/json"}},
                     R"({"access_token":"fresh-token","refresh_token":"rt-2","expires_in":3600,"token_type":"Bearer"})"});
    const std::string body =
        call(up.url(), R"(,"auth_index":")" + cpa::sdk::fileAuthIndex("ag.json") + R"(","header":{"Authorization":"Bearer $TOKEN$"})");
    constexpr int kCalls = 8;
    std::vector<int> statuses(kCalls);
    std::vector<std::thread> threads;
    for (int i = 0; i < kCalls; ++i)
        threads.emplace_back([&, i] { statuses[i] = s.call("POST", "/api-call", body).status; });
    for (auto& t : threads) t.join();
    for (int st : statuses) EXPECT_EQ(st, 200);
    EXPECT_EQ(tokens.requests().size(), 2u) << "one refresh for all the calls";
    ASSERT_EQ(up.requests().size(), static_cast<std::size_t>(kCalls));
    for (const auto& r : up.requests()) EXPECT_EQ(r.header("Authorization"), "Bearer fresh-token");
    auto saved = jsonObject(fileText(s.auth / "ag.json"));
    EXPECT_EQ(saved->getValue<std::string>("access_token"), "fresh-token");
    EXPECT_EQ(saved->getValue<std::string>("refresh_token"), "rt-2");
    EXPECT_EQ(fileMode(s.auth / "ag.json"), 0600u);
}

TEST(OAuthApiCall, FollowsRedirects) {
    LoopbackServer target({200, {{"Content-Type", "text/plain"}}, "final"});
    LoopbackServer hop({302, {{"Location", target.url("/final?x=1")}}, ""});
    OAuthServer s;
    auto r = s.call("POST", "/api-call", R"({"method":"POST","url":")" + hop.url("/start") + R"(","data":"payload"})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = jsonObject(r.body);
    EXPECT_EQ(o->getValue<int>("status_code"), 200);
    EXPECT_EQ(o->getValue<std::string>("body"), "final");
    ASSERT_EQ(target.requests().size(), 1u);
    EXPECT_EQ(target.requests()[0].method, "GET");  // 302 turns a POST into a body-less GET
    EXPECT_EQ(target.requests()[0].target, "/final?x=1");
    EXPECT_EQ(target.requests()[0].body, "");
}
