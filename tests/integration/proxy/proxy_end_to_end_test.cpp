// Chat completions end to end: real server, real cpa_proxy/usage/logs, the
// fake upstream on loopback.
#include "fake_upstream.hpp"
#include "proxy_test_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

using namespace cpa::test;
using namespace cpa::test::proxy;

namespace {

const HeaderList kMgmt = {{"Authorization", "Bearer mgmt-secret"}};

std::string config(const FakeUpstream& up, const std::string& extra = "") {
    return "api-keys:\n  - \"sk-client-1\"\n"
           "remote-management:\n  secret-key: \"mgmt-secret\"\n"
           "usage-statistics-enabled: true\n"
           "request-log: true\n"
           "openai-compatibility:\n"
           "  - name: \"Acme\"\n"
           "    base-url: \"" + up.baseUrl() + "/v1\"\n"
           "    api-key-entries:\n"
           "      - api-key: \"sk-up-1\"\n"
           "    models:\n"
           "      - name: \"up-model\"\n"
           "        alias: \"m\"\n"
           "      - name: \"up-model-2\"\n"
           "        alias: \"m2\"\n" + extra;
}

HttpResponse chat(HttpClient& c, const std::string& model, bool stream = false) {
    return c.request("POST", "/v1/chat/completions",
                     {{"Authorization", "Bearer sk-client-1"}, {"Content-Type", "application/json"}},
                     R"({"model":")" + model + R"(","stream":)" + (stream ? "true" : "false") +
                         R"(,"messages":[{"role":"user","content":"hi"}]})");
}

/// The request log of the response `r` (by its X-Request-Id), once it is
/// written; the last answer (404) if it does not appear within `wait`.
HttpResponse requestLogOf(HttpClient& c, const HttpResponse& r,
                          std::chrono::milliseconds wait = std::chrono::milliseconds(5000)) {
    const std::string id = r.header("X-Request-Id").value_or("");
    HttpResponse log;
    eventually([&] {
        log = c.get("/v0/management/request-log-by-id/" + id, kMgmt);
        return log.status == 200;
    }, wait);
    return log;
}

}  // namespace

TEST(ProxyEndToEnd, ChatCompletionReachesUpstreamAndIsRecorded) {
    FakeUpstream up;
    UpstreamReply reply;
    reply.body = R"({"id":"chatcmpl-1","object":"chat.completion","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":5,"total_tokens":16}})";
    up.enqueue(reply);
    ServerProcess server(proxyServer(config(up)));
    HttpClient c("127.0.0.1", server.port());

    auto r = chat(c, "m");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("chatcmpl-1"), std::string::npos) << r.body;
    ASSERT_EQ(up.requestCount(), 1u);
    const UpstreamRequest sent = up.requests().front();
    EXPECT_EQ(sent.target, "/v1/chat/completions");
    EXPECT_EQ(sent.header("Authorization"), "Bearer sk-up-1");  // the client key is never forwarded
    EXPECT_NE(sent.body.find("\"up-model\""), std::string::npos) << sent.body;

    // /usage: one successful request under the client key, upstream model name.
    Poco::JSON::Object::Ptr model;
    ASSERT_TRUE(eventually([&] {
        auto u = c.get("/v0/management/usage", kMgmt);
        if (u.status != 200) return false;
        auto apis = jsonObject(u.body)->getObject("usage")->getObject("apis");
        if (!apis || !apis->has("sk-client-1")) return false;
        model = apis->getObject("sk-client-1")->getObject("models")->getObject("up-model");
        return model != nullptr;
    }));
    EXPECT_EQ(model->getValue<int>("total_requests"), 1);
    EXPECT_EQ(model->getValue<int>("total_tokens"), 16);
    const auto detail = model->getArray("details")->getObject(0);
    EXPECT_EQ(detail->getValue<std::string>("source"), "sk-up-1");
    EXPECT_FALSE(detail->getValue<bool>("failed"));

    // The request log by the response's request id, with the upstream attempt.
    ASSERT_FALSE(r.header("X-Request-Id").value_or("").empty());
    const HttpResponse log = requestLogOf(c, r);
    ASSERT_EQ(log.status, 200) << log.body;
    EXPECT_NE(log.body.find("=== API REQUEST 1 ==="), std::string::npos) << log.body;
    EXPECT_NE(log.body.find("Auth: provider=acme"), std::string::npos) << log.body;
    EXPECT_NE(log.body.find("chatcmpl-1"), std::string::npos);
    EXPECT_EQ(log.body.find("sk-client-1"), std::string::npos) << "client key must be masked";
}

TEST(ProxyEndToEnd, StreamingPassesEventsThrough) {
    FakeUpstream up;
    UpstreamReply reply;
    reply.headers = {{"Content-Type", "text/event-stream"}};
    reply.events = {"data: {\"choices\":[{\"delta\":{\"content\":\"he\"}}]}\n\n",
                    "data: {\"choices\":[{\"delta\":{\"content\":\"llo\"}}]}\n\n", "data: [DONE]\n\n"};
    up.enqueue(reply);
    ServerProcess server(proxyServer(config(up)));
    HttpClient c("127.0.0.1", server.port());
    auto r = chat(c, "m", true);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("\"he\""), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("\"llo\""), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("data: [DONE]"), std::string::npos) << r.body;
}

TEST(ProxyEndToEnd, UnauthorizedUpstreamThenNoCredential503) {
    FakeUpstream up;
    UpstreamReply denied;
    denied.status = 401;
    denied.body = R"({"error":{"message":"bad upstream key"}})";
    up.enqueue(denied);
    ServerProcess server(proxyServer(config(up)));
    HttpClient c("127.0.0.1", server.port());
    auto r = chat(c, "m");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, R"({"error":{"message":"bad upstream key"}})");
    r = chat(c, "m");  // cooling down 30 min: nothing to pick
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body,
              R"j({"error":{"message":"auth_unavailable: no auth available (providers=acme, model=m)","type":"server_error","code":"internal_server_error"}})j");
    EXPECT_EQ(up.requestCount(), 1u);
    // Other models of the credential are unaffected.
    EXPECT_EQ(chat(c, "m2").status, 200);
}

TEST(ProxyEndToEnd, QuotaThenModelCooldown429AndRetryAfterBackoff) {
    FakeUpstream up;
    UpstreamReply limited;
    limited.status = 429;
    limited.body = "slow down";
    up.enqueue(limited);
    ServerProcess server(proxyServer(config(up)));
    HttpClient c("127.0.0.1", server.port());
    auto r = chat(c, "m");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.body, R"({"error":{"message":"slow down","type":"rate_limit_error","code":"rate_limit_exceeded"}})");
    r = chat(c, "m");
    EXPECT_EQ(r.status, 429);
    auto err = jsonObject(r.body)->getObject("error");
    EXPECT_EQ(err->getValue<std::string>("code"), "model_cooldown");
    EXPECT_EQ(err->getValue<std::string>("provider"), "acme");
    EXPECT_EQ(err->getValue<int>("reset_seconds"), 1);
    EXPECT_EQ(up.requestCount(), 1u);
    // After the 1 s backoff the credential serves again.
    EXPECT_TRUE(eventually([&] { return chat(c, "m").status == 200; }, std::chrono::milliseconds(3000)));
}

TEST(ProxyEndToEnd, OuterRetryWaitsOutA429) {
    FakeUpstream up;
    UpstreamReply limited;
    limited.status = 429;
    limited.body = "slow down";
    up.enqueue(limited);
    ServerProcess server(proxyServer(config(up, "request-retry: 2\nmax-retry-interval: 5\n")));
    HttpClient c("127.0.0.1", server.port());
    const auto started = std::chrono::steady_clock::now();
    auto r = chat(c, "m");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(up.requestCount(), 2u);
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(900));
}

TEST(ProxyEndToEnd, NonStreamKeepaliveThenFailoverToTheNextCredential) {
    FakeUpstream up;
    UpstreamReply slowFailure;  // long enough for one keep-alive newline
    slowFailure.status = 503;
    slowFailure.body = "overloaded";
    slowFailure.firstByteDelay = std::chrono::milliseconds(1300);
    up.enqueue(slowFailure);
    UpstreamReply ok;
    ok.body = R"({"id":"msg_ok","type":"message","usage":{"input_tokens":3,"output_tokens":2}})";
    up.enqueue(ok);
    const std::string yaml = "api-keys:\n  - \"sk-client-1\"\n"
                             "nonstream-keepalive-interval: 1\n"
                             "claude-api-key:\n"
                             "  - api-key: \"ck-1\"\n    base-url: \"" + up.baseUrl() + "\"\n"
                             "    models:\n      - name: \"claude-x\"\n"
                             "  - api-key: \"ck-2\"\n    base-url: \"" + up.baseUrl() + "\"\n"
                             "    models:\n      - name: \"claude-x\"\n";
    ServerProcess server(proxyServer(yaml));
    HttpClient c("127.0.0.1", server.port());
    const auto r = c.request("POST", "/v1/messages",
                             {{"Authorization", "Bearer sk-client-1"}, {"Content-Type", "application/json"}},
                             R"({"model":"claude-x","max_tokens":5,"messages":[{"role":"user","content":"hi"}]})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "\n" + ok.body);  // the newline, then the second credential's answer (data-plane.md §8.1)
    ASSERT_EQ(up.requestCount(), 2u);
    const auto key = [](const UpstreamRequest& q) { return q.header("x-api-key") + q.header("Authorization"); };
    EXPECT_NE(key(up.requests()[0]), key(up.requests()[1]));  // two different credentials
}

TEST(ProxyEndToEnd, AClientHangingUpOnASlowNonStreamCallCancelsTheUpstream) {
    FakeUpstream up;
    UpstreamReply slow;
    slow.firstByteDelay = std::chrono::seconds(8);  // a long generation
    slow.body = R"({"id":"late","choices":[]})";
    up.enqueue(slow);
    ServerProcess server(proxyServer(config(up)));
    {
        Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server.port()));
        const std::string body = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
        const std::string req = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-client-1\r\n"
                                "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
        s.sendBytes(req.data(), static_cast<int>(req.size()));
        ASSERT_TRUE(eventually([&] { return up.requestCount() == 1; }));
    }  // the client gives up
    // The upstream call is cut within about a second, not after 8 s.
    EXPECT_TRUE(eventually([&] { return up.abortedByClient() == 1; }, std::chrono::milliseconds(4000)));
    // The server goes on serving.
    UpstreamReply ok;
    ok.body = R"({"id":"next","choices":[]})";
    up.enqueue(ok);
    HttpClient c("127.0.0.1", server.port());
    const auto r = chat(c, "m");
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST(ProxyEndToEnd, ClientKeyFailuresOnGenerationRoutesAreLoggedListingsAreNot) {
    FakeUpstream up;
    UpstreamReply ok;
    ok.body = R"({"id":"first","choices":[]})";
    up.enqueue(ok);
    ServerProcess server(proxyServer(config(up)));
    HttpClient c("127.0.0.1", server.port());
    ASSERT_EQ(chat(c, "m").status, 200);  // the same connection (and thread) served a request before
    const auto denied = c.request("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}},
                                  R"({"model":"m","messages":[]})");
    ASSERT_EQ(denied.status, 401) << denied.body;
    ASSERT_FALSE(denied.header("X-Request-Id").value_or("").empty());
    const HttpResponse log = requestLogOf(c, denied);
    ASSERT_EQ(log.status, 200) << log.body;
    EXPECT_NE(log.body.find("Missing API key"), std::string::npos) << log.body;
    EXPECT_NE(log.body.find(R"("model":"m")"), std::string::npos) << log.body;  // the request body is kept
    EXPECT_EQ(up.requestCount(), 1u);

    // A listing refused the same way leaves no log.
    const auto listing = c.get("/v1/models", {{"Authorization", "Bearer wrong"}});
    ASSERT_EQ(listing.status, 401);
    EXPECT_EQ(requestLogOf(c, listing, std::chrono::milliseconds(300)).status, 404);
}

TEST(ProxyEndToEnd, PreflightsAndUnknownNonGetPathsAreLoggedUnknownGetsAreNot) {
    FakeUpstream up;
    ServerProcess server(proxyServer(config(up)));
    HttpClient c("127.0.0.1", server.port());
    // Present logs: the default wait (the writer is asynchronous and a loaded
    // machine delays it). Absent ones: 1.5 s, long past a present log's write.
    auto logFor = [&c](const HttpResponse& r) { return requestLogOf(c, r); };
    auto noLogFor = [&c](const HttpResponse& r) { return requestLogOf(c, r, std::chrono::milliseconds(1500)); };
    const auto preflight = c.request("OPTIONS", "/v1/chat/completions", {{"Origin", "http://x"}}, "");
    ASSERT_EQ(preflight.status, 204);
    const auto preflightLog = logFor(preflight);
    EXPECT_EQ(preflightLog.status, 200);
    EXPECT_NE(preflightLog.body.find("Method: OPTIONS"), std::string::npos) << preflightLog.body;

    const auto unknown = c.request("POST", "/v1/nope", {{"Content-Type", "application/json"}}, R"({"a":1})");
    ASSERT_EQ(unknown.status, 404);
    const auto unknownLog = logFor(unknown);
    EXPECT_EQ(unknownLog.status, 200);
    EXPECT_NE(unknownLog.body.find("/v1/nope"), std::string::npos) << unknownLog.body;

    const auto unknownGet = c.get("/v1/nope");
    ASSERT_EQ(unknownGet.status, 404);
    EXPECT_EQ(noLogFor(unknownGet).status, 404);
    // Management paths are never captured, found or not.
    const auto mgmt = c.request("POST", "/v0/management/nope", kMgmt, "{}");
    ASSERT_EQ(mgmt.status, 404);
    EXPECT_EQ(noLogFor(mgmt).status, 404);
}
