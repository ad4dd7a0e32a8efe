// Token lifecycle of OAuth file credentials (issue 20): use until the lead
// time, one refresh per credential however many requests wait, the file
// rewritten atomically, a 401 refreshes and retries once, failures are clear.
#include "oauth_traffic_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace cpa::test;
using namespace cpa::test::oauth;

TEST(OAuthRefresh, AValidTokenIsSentAsBearerWithoutARefresh) {
    TrafficServer s({{"claude-a.json", claudeFile("sk-ant-oat-valid", 30 * 86400)}});
    s.claude.enqueue(claudeMessage());
    const auto r = s.messages();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("hello"), std::string::npos);
    ASSERT_EQ(s.claude.requestCount(), 1u);
    const UpstreamRequest sent = s.claude.requests().front();
    EXPECT_EQ(sent.target, "/v1/messages?beta=true");
    EXPECT_EQ(sent.header("Authorization"), "Bearer sk-ant-oat-valid");
    EXPECT_EQ(sent.header("x-api-key"), "");
    EXPECT_NE(sent.header("Anthropic-Beta").find("oauth-2025-04-20"), std::string::npos);
    EXPECT_EQ(sent.header("X-App"), "cli");
    EXPECT_EQ(sent.header("User-Agent"), "claude-cli/2.1.63 (external, cli)");
    EXPECT_FALSE(sent.header("X-Claude-Code-Session-Id").empty());
    EXPECT_EQ(s.tokens.requestCount(), 0u);
}

TEST(OAuthRefresh, AnExpiredTokenIsRefreshedOnceAndTheFileHoldsTheNewOne) {
    const std::string before = claudeFile("sk-ant-oat-old", -60);
    // The background loop refreshes it at start; the requests use its token.
    TrafficServer s({{"claude-a.json", before}}, "", "",
                    [](TrafficServer& t) { t.tokens.enqueue(tokenReply("sk-ant-oat-new")); });
    s.claude.setHandler([](const UpstreamRequest&) { return claudeMessage(); });
    ASSERT_EQ(s.messages().status, 200);
    ASSERT_EQ(s.messages().status, 200);  // the second one uses the stored new token
    ASSERT_EQ(s.tokens.requestCount(), 1u);
    const UpstreamRequest refresh = s.tokens.requests().front();
    EXPECT_EQ(refresh.target, "/v1/oauth/token");
    const auto body = jsonObject(refresh.body);
    EXPECT_EQ(body->getValue<std::string>("grant_type"), "refresh_token");
    EXPECT_EQ(body->getValue<std::string>("refresh_token"), "rt-1");
    for (const auto& sent : s.claude.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer sk-ant-oat-new");

    const auto file = jsonObject(s.fileText("claude-a.json"));
    EXPECT_EQ(file->getValue<std::string>("access_token"), "sk-ant-oat-new");
    EXPECT_EQ(file->getValue<std::string>("refresh_token"), "rt-2");
    EXPECT_GT(file->getValue<std::string>("expired"), rfc3339In(7 * 3600)) << "about 8 h ahead";
    EXPECT_GE(file->getValue<std::string>("last_refresh"), rfc3339In(-120).substr(0, 10));
    EXPECT_EQ(fileMode(s.auth / "claude-a.json"), 0600u);
    const auto entry = s.authFile("claude-a.json");
    ASSERT_TRUE(entry);
    EXPECT_TRUE(entry->has("last_refresh"));
    EXPECT_EQ(entry->getValue<std::string>("status"), "active");
}

TEST(OAuthRefresh, FortyConcurrentRequestsOnAnExpiredTokenShareOneRefresh) {
    // The refresh (started by the background loop at start) is slow: every
    // request arrives while it is in flight and waits for it.
    TrafficServer s({{"claude-a.json", claudeFile("sk-ant-oat-old", -60)}}, "http-server:\n  max-threads: 64\n", "",
                    [](TrafficServer& t) {
                        UpstreamReply slow = tokenReply("sk-ant-oat-new");
                        slow.firstByteDelay = std::chrono::milliseconds(1500);
                        t.tokens.enqueue(slow);
                    });
    s.claude.setHandler([](const UpstreamRequest&) { return claudeMessage(); });
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 40; ++i)
        clients.emplace_back([&] {
            if (s.messages().status == 200) ++ok;
        });
    for (auto& t : clients) t.join();
    EXPECT_EQ(ok.load(), 40);
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    EXPECT_EQ(s.claude.requestCount(), 40u);
    for (const auto& sent : s.claude.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer sk-ant-oat-new");
}

TEST(OAuthRefresh, AnUpstream401RefreshesOnceAndRetries) {
    TrafficServer s({{"claude-a.json", claudeFile("sk-ant-oat-revoked", 30 * 86400)}});
    UpstreamReply denied;
    denied.status = 401;
    denied.body = R"({"type":"error","error":{"type":"authentication_error","message":"invalid token"}})";
    s.claude.enqueue(denied);
    s.claude.enqueue(claudeMessage("after refresh"));
    s.tokens.enqueue(tokenReply("sk-ant-oat-fresh"));
    const auto r = s.messages();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("after refresh"), std::string::npos);
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    ASSERT_EQ(s.claude.requestCount(), 2u);
    EXPECT_EQ(s.claude.requests()[0].header("Authorization"), "Bearer sk-ant-oat-revoked");
    EXPECT_EQ(s.claude.requests()[1].header("Authorization"), "Bearer sk-ant-oat-fresh");
    EXPECT_NE(s.fileText("claude-a.json").find("sk-ant-oat-fresh"), std::string::npos);
}

TEST(OAuthRefresh, ARefreshFailureIsAClearErrorShownOnAuthFilesAndTheFileIsUntouched) {
    const std::string before = claudeFile("sk-ant-oat-old", -60);
    TrafficServer s({{"claude-a.json", before}}, "", "", [](TrafficServer& t) {
        UpstreamReply broken;
        broken.status = 502;
        broken.body = "<html>bad gateway</html>";
        t.tokens.enqueue(broken);
    });
    const auto r = s.messages();
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_NE(r.body.find("token refresh failed with status 502"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("claude-a.json"), std::string::npos) << r.body;
    EXPECT_EQ(s.claude.requestCount(), 0u);
    EXPECT_EQ(s.fileText("claude-a.json"), before);

    const auto entry = s.authFile("claude-a.json");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->getValue<std::string>("status"), "error");
    EXPECT_NE(entry->getValue<std::string>("status_message").find("token refresh failed"), std::string::npos);
    EXPECT_TRUE(entry->getValue<bool>("unavailable"));
    EXPECT_TRUE(entry->has("next_retry_after"));

    // Backing off: the next request fails at once, without another call to the token endpoint.
    EXPECT_EQ(s.messages().status, 503);
    EXPECT_EQ(s.tokens.requestCount(), 1u);
}

TEST(OAuthRefresh, InvalidJsonFromTheTokenEndpointLeavesTheFileUntouched) {
    const std::string before = claudeFile("sk-ant-oat-old", -60);
    TrafficServer s({{"claude-a.json", before}}, "", "", [](TrafficServer& t) {
        UpstreamReply garbage;
        garbage.body = "not json";
        t.tokens.enqueue(garbage);
    });
    const auto r = s.messages();
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_NE(r.body.find("invalid token response"), std::string::npos) << r.body;
    EXPECT_EQ(s.fileText("claude-a.json"), before);
    EXPECT_EQ(s.claude.requestCount(), 0u);
}
