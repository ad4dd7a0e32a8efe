// Kimi auth files serve traffic (issue 21, oauth-executors.md §3.5): Kimi's
// OpenAI chat endpoint with the Kimi CLI identity, its token refresh (in the
// background, once, shared, after a 401), failures, lifecycle, streams,
// translation and the tool-message repair.
#include "oauth_traffic_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace cpa::test;
using namespace cpa::test::oauth;

namespace {

const std::string kKimiModel = "kimi-k2.5";

std::string kimiFile(const std::string& access, std::int64_t expiresIn, const std::string& extra = "") {
    return R"({"access_token":")" + access + R"(","device_id":"dev-42","expired":")" + rfc3339In(expiresIn) +
           R"(","refresh_token":"rt-k","scope":"","timestamp":1,"token_type":"Bearer","type":"kimi")" + extra + "}\n";
}

UpstreamReply kimiTokenReply(const std::string& access) {
    UpstreamReply r;
    r.body = R"({"access_token":")" + access + R"(","refresh_token":"rt-k2","expires_in":3600,"token_type":"Bearer"})";
    return r;
}

UpstreamReply chatReply(const std::string& text = "hello") {
    UpstreamReply r;
    r.body = R"({"id":"c1","object":"chat.completion","created":1,"model":"k2.5","choices":[{"index":0,"message":{"role":"assistant","content":")" +
             text + R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})";
    return r;
}

HttpResponse chat(const TrafficServer& s, bool stream = false, const std::string& messages = "") {
    const std::string m = messages.empty() ? R"([{"role":"user","content":"hi"}])" : messages;
    return httpRequest(s.server->port(), "POST", "/v1/chat/completions", kClient,
                       R"({"model":")" + kKimiModel + R"(","stream":)" + (stream ? "true" : "false") +
                           R"(,"messages":)" + m + "}");
}

}  // namespace

TEST(OAuthKimi, AValidTokenReachesKimisChatEndpointWithTheKimiCliIdentity) {
    TrafficServer s({{"kimi-1.json", kimiFile("kimi-valid", 3000)}});
    s.kimi.enqueue(chatReply());
    const auto r = chat(s);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("hello"), std::string::npos);
    ASSERT_EQ(s.kimi.requestCount(), 1u);
    const UpstreamRequest sent = s.kimi.requests().front();
    EXPECT_EQ(sent.target, "/coding/v1/chat/completions");
    EXPECT_EQ(sent.header("Authorization"), "Bearer kimi-valid");
    EXPECT_EQ(sent.header("User-Agent"), "KimiCLI/1.10.6");
    EXPECT_EQ(sent.header("X-Msh-Platform"), "kimi_cli");
    EXPECT_EQ(sent.header("X-Msh-Device-Id"), "dev-42");
    EXPECT_EQ(jsonObject(sent.body)->getValue<std::string>("model"), "k2.5") << "the kimi- prefix is dropped";
    EXPECT_EQ(s.tokens.requestCount(), 0u);
}

TEST(OAuthKimi, AnExpiredTokenIsRefreshedOnceWithTheDeviceHeaders) {
    // The background loop refreshes it at start; the requests use its token.
    TrafficServer s({{"kimi-1.json", kimiFile("kimi-old", -60)}}, "", "",
                    [](TrafficServer& t) { t.tokens.enqueue(kimiTokenReply("kimi-new")); });
    s.kimi.setHandler([](const UpstreamRequest&) { return chatReply(); });
    ASSERT_EQ(chat(s).status, 200);
    ASSERT_EQ(chat(s).status, 200);
    ASSERT_EQ(s.tokens.requestCount(), 1u);
    const UpstreamRequest refresh = s.tokens.requests().front();
    EXPECT_EQ(refresh.target, "/api/oauth/token");
    EXPECT_NE(refresh.body.find("refresh_token=rt-k"), std::string::npos);
    EXPECT_EQ(refresh.header("X-Msh-Device-Id"), "dev-42");
    EXPECT_EQ(refresh.header("X-Msh-Platform"), "cli-proxy-api");
    for (const auto& sent : s.kimi.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer kimi-new");
    const auto file = jsonObject(s.fileText("kimi-1.json"));
    EXPECT_EQ(file->getValue<std::string>("access_token"), "kimi-new");
    EXPECT_EQ(file->getValue<std::string>("refresh_token"), "rt-k2");
    EXPECT_EQ(file->getValue<std::string>("expired").back(), 'Z');
    EXPECT_EQ(file->getValue<std::string>("device_id"), "dev-42");
}

TEST(OAuthKimi, ATokenWithinTheLeadIsRefreshedInTheBackgroundWithNoRequest) {
    // Kimi's lead is 5 min (oauth-executors.md §2.3): 2 min left is due now.
    TrafficServer s({{"kimi-1.json", kimiFile("kimi-soon", 120)}}, "", "", [](TrafficServer& t) {
        t.tokens.setHandler([](const UpstreamRequest&) { return kimiTokenReply("kimi-bg"); });
    });
    ASSERT_TRUE(eventually([&] { return s.fileText("kimi-1.json").find("kimi-bg") != std::string::npos; }));
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    EXPECT_EQ(s.tokens.requests().front().header("X-Msh-Device-Id"), "dev-42");
    EXPECT_EQ(s.kimi.requestCount(), 0u) << "no request was sent";
}

TEST(OAuthKimi, ConcurrentRequestsShareOneRefresh) {
    // The refresh (started by the background loop at start) is slow: every
    // request arrives while it is in flight and waits for it.
    TrafficServer s({{"kimi-1.json", kimiFile("kimi-old", -60)}}, "http-server:\n  max-threads: 64\n", "",
                    [](TrafficServer& t) {
                        UpstreamReply slow = kimiTokenReply("kimi-new");
                        slow.firstByteDelay = std::chrono::milliseconds(1500);
                        t.tokens.enqueue(slow);
                    });
    s.kimi.setHandler([](const UpstreamRequest&) { return chatReply(); });
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 20; ++i)
        clients.emplace_back([&] {
            if (chat(s).status == 200) ++ok;
        });
    for (auto& t : clients) t.join();
    EXPECT_EQ(ok.load(), 20);
    EXPECT_EQ(s.tokens.requestCount(), 1u);
}

TEST(OAuthKimi, AnUpstream401RefreshesOnceAndRetries) {
    TrafficServer s({{"kimi-1.json", kimiFile("kimi-revoked", 3000)}});
    UpstreamReply denied;
    denied.status = 401;
    denied.body = R"({"error":{"message":"invalid token","type":"invalid_authentication_error"}})";
    s.kimi.enqueue(denied);
    s.kimi.enqueue(chatReply("after refresh"));
    s.tokens.enqueue(kimiTokenReply("kimi-fresh"));
    const auto r = chat(s);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("after refresh"), std::string::npos);
    EXPECT_EQ(s.kimi.requests()[1].header("Authorization"), "Bearer kimi-fresh");
}

TEST(OAuthKimi, ARejectedRefreshIsA401AndTheFileIsUntouched) {
    const std::string before = kimiFile("kimi-old", -60);
    TrafficServer s({{"kimi-1.json", before}}, "", "", [](TrafficServer& t) {
        UpstreamReply refused;
        refused.status = 401;
        refused.body = R"({"error":"invalid_grant"})";
        t.tokens.enqueue(refused);
    });
    const auto r = chat(s);
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_NE(r.body.find("kimi-1.json"), std::string::npos) << r.body;
    EXPECT_EQ(s.kimi.requestCount(), 0u);
    EXPECT_EQ(s.fileText("kimi-1.json"), before);
    const auto entry = s.authFile("kimi-1.json");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->getValue<std::string>("status"), "error");
}

TEST(OAuthKimi, AnUploadIsRoutedADeleteAndADisabledFileAreNot) {
    TrafficServer s({{"kimi-off.json", kimiFile("kimi-off", 3000, R"(,"disabled":true)")}});
    s.kimi.setHandler([](const UpstreamRequest&) { return chatReply(); });
    EXPECT_NE(chat(s).status, 200);
    EXPECT_EQ(s.kimi.requestCount(), 0u);
    ASSERT_EQ(httpRequest(s.server->port(), "POST", "/v0/management/auth-files?name=kimi-up.json", kMgmt,
                          kimiFile("kimi-up", 3000))
                  .status,
              200);
    ASSERT_TRUE(eventually([&] { return chat(s).status == 200; }, std::chrono::milliseconds(2000)));
    for (const auto& sent : s.kimi.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer kimi-up");
    ASSERT_EQ(s.mgmt("DELETE", "/auth-files?name=kimi-up.json").status, 200);
    ASSERT_TRUE(eventually([&] { return chat(s).status != 200; }, std::chrono::milliseconds(2000)));
}

TEST(OAuthKimi, AStreamAsksForUsageAndReachesTheClient) {
    TrafficServer s({{"kimi-1.json", kimiFile("kimi-valid", 3000)}});
    UpstreamReply stream;
    stream.headers = {{"Content-Type", "text/event-stream"}};
    stream.events = {
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"k2.5\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"streamed\"}}]}\n\n",
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"k2.5\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\n",
        "data: [DONE]\n\n"};
    s.kimi.enqueue(stream);
    const auto r = chat(s, true);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("streamed"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("[DONE]"), std::string::npos);
    const auto sent = jsonObject(s.kimi.requests().front().body);
    EXPECT_TRUE(sent->getObject("stream_options")->getValue<bool>("include_usage"));
    EXPECT_EQ(s.kimi.requests().front().header("Accept"), "text/event-stream");
}

TEST(OAuthKimi, AClaudeClientIsTranslatedToChat) {
    TrafficServer s({{"kimi-1.json", kimiFile("kimi-valid", 3000)}});
    s.kimi.enqueue(chatReply("from kimi"));
    const auto r = s.messages(kKimiModel);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(jsonObject(r.body)->getValue<std::string>("type"), "message");
    EXPECT_NE(r.body.find("from kimi"), std::string::npos);
    EXPECT_EQ(s.kimi.requests().front().target, "/coding/v1/chat/completions");
}

TEST(OAuthKimi, ToolMessagesAreLinkedToTheirCallsAndCallsCarryReasoning) {
    TrafficServer s({{"kimi-1.json", kimiFile("kimi-valid", 3000)}});
    s.kimi.enqueue(chatReply());
    const std::string messages =
        R"([{"role":"user","content":"weather?"},)"
        R"({"role":"assistant","content":"let me look","tool_calls":[{"id":"call_1","type":"function","function":{"name":"w","arguments":"{}"}}]},)"
        R"({"role":"tool","content":"sunny"}])";
    ASSERT_EQ(chat(s, false, messages).status, 200);
    const auto sent = jsonObject(s.kimi.requests().front().body)->getArray("messages");
    EXPECT_EQ(sent->getObject(1)->getValue<std::string>("reasoning_content"), "let me look");
    EXPECT_EQ(sent->getObject(2)->getValue<std::string>("tool_call_id"), "call_1");
}
