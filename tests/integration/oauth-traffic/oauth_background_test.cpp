// The background token refresh (oauth-executors.md §2.1–§2.4), the token
// endpoint's time bound (oauth-login.refresh-timeout-ms) and oauth-model-alias
// on file credentials (oauth-executors.md §1.4), through the real server.
#include "oauth_traffic_support.hpp"

#include <gtest/gtest.h>

using namespace cpa::test;
using namespace cpa::test::oauth;

TEST(OAuthBackground, AnExpiringCredentialIsRefreshedWithNoRequestAndADisabledOneIsNot) {
    // Claude's lead is 4 h: an expiry 1 h ahead is due now; 30 days ahead is not.
    const std::string off =
        R"({"access_token":"sk-ant-oat-off","disabled":true,"expired":")" + rfc3339In(-60) +
        R"(","refresh_token":"rt-off","type":"claude"})";
    const std::string far = claudeFile("sk-ant-oat-far", 30 * 86400);
    TrafficServer s({{"claude-a.json", claudeFile("sk-ant-oat-soon", 3600)},
                     {"claude-off.json", off},
                     {"claude-far.json", far}},
                    "", "", [](TrafficServer& t) {
                        t.tokens.setHandler([](const UpstreamRequest&) { return tokenReply("sk-ant-oat-bg"); });
                    });
    ASSERT_TRUE(eventually([&] { return s.fileText("claude-a.json").find("sk-ant-oat-bg") != std::string::npos; }));
    // Give a wrong refresh of the others time to happen.
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    ASSERT_EQ(s.tokens.requestCount(), 1u);
    EXPECT_EQ(jsonObject(s.tokens.requests().front().body)->getValue<std::string>("refresh_token"), "rt-1");
    EXPECT_EQ(s.claude.requestCount(), 0u) << "no request was sent";
    EXPECT_EQ(s.fileText("claude-off.json"), off) << "a disabled file is never refreshed";
    EXPECT_EQ(s.fileText("claude-far.json"), far);
    const auto file = jsonObject(s.fileText("claude-a.json"));
    EXPECT_EQ(file->getValue<std::string>("refresh_token"), "rt-2");
    EXPECT_GT(file->getValue<std::string>("expired"), rfc3339In(7 * 3600));
    EXPECT_EQ(fileMode(s.auth / "claude-a.json"), 0600u);

    // Traffic then uses the new token without another refresh.
    s.claude.setHandler([](const UpstreamRequest&) { return claudeMessage(); });
    ASSERT_EQ(s.messages().status, 200);
    ASSERT_EQ(s.claude.requestCount(), 1u);
    EXPECT_EQ(s.claude.requests().front().header("Authorization"), "Bearer sk-ant-oat-bg");
    EXPECT_EQ(s.tokens.requestCount(), 1u);
}

TEST(OAuthBackground, AnUploadedExpiredFileIsRefreshedInTheBackground) {
    TrafficServer s;
    s.tokens.setHandler([](const UpstreamRequest&) { return tokenReply("sk-ant-oat-bg"); });
    const auto r = httpRequest(s.server->port(), "POST", "/v0/management/auth-files?name=claude-up.json", kMgmt,
                               claudeFile("sk-ant-oat-old", -60));
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(eventually([&] { return s.fileText("claude-up.json").find("sk-ant-oat-bg") != std::string::npos; }));
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    EXPECT_EQ(s.claude.requestCount(), 0u);
}

TEST(OAuthBackground, ARequestArrivingDuringABackgroundRefreshWaitsForIt) {
    TrafficServer s({{"claude-a.json", claudeFile("sk-ant-oat-old", -60)}}, "", "", [](TrafficServer& t) {
        UpstreamReply slow = tokenReply("sk-ant-oat-new");
        slow.firstByteDelay = std::chrono::milliseconds(1500);
        t.tokens.enqueue(slow);
    });
    s.claude.setHandler([](const UpstreamRequest&) { return claudeMessage(); });
    ASSERT_TRUE(eventually([&] { return s.tokens.requestCount() == 1u; }));  // the loop's refresh is in flight
    const auto r = s.messages();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(s.tokens.requestCount(), 1u) << "the request waited for the background refresh";
    ASSERT_EQ(s.claude.requestCount(), 1u);
    EXPECT_EQ(s.claude.requests().front().header("Authorization"), "Bearer sk-ant-oat-new");
}

TEST(OAuthRefresh, AHangingTokenEndpointIsAClearErrorInTheClientsFormatWithinTheTimeout) {
    const std::string before = claudeFile("sk-ant-oat-old", -60);
    // The background loop's refresh at start hangs; the request waits for it, then fails.
    TrafficServer s({{"claude-a.json", before}}, "", "  refresh-timeout-ms: 1000\n", [](TrafficServer& t) {
        UpstreamReply hang;
        hang.hang = true;
        t.tokens.setHandler([hang](const UpstreamRequest&) { return hang; });
    });
    const auto start = std::chrono::steady_clock::now();
    const auto r = s.messages();
    const auto claudeTook = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_LT(claudeTook, std::chrono::seconds(4));
    // Errors before the first byte have one shape for every client format (data-plane.md §9.1).
    const auto claudeError = jsonObject(r.body)->getObject("error");
    ASSERT_TRUE(claudeError) << r.body;
    EXPECT_EQ(claudeError->getValue<std::string>("type"), "server_error") << r.body;
    const std::string message = claudeError->getValue<std::string>("message");
    EXPECT_NE(message.find("did not answer within 1 s"), std::string::npos) << message;
    EXPECT_NE(message.find("claude-a.json"), std::string::npos) << message;

    // The failure cools the credential (K4): the next client, here an OpenAI chat
    // one, is refused at once and pointed at /auth-files, which names the cause.
    const auto chatStart = std::chrono::steady_clock::now();
    const auto c = s.chat();
    EXPECT_EQ(c.status, 503) << c.body;
    EXPECT_LT(std::chrono::steady_clock::now() - chatStart, std::chrono::seconds(2));
    const std::string chatMessage = jsonObject(c.body)->getObject("error")->getValue<std::string>("message");
    EXPECT_NE(chatMessage.find("/v0/management/auth-files"), std::string::npos) << c.body;
    EXPECT_EQ(s.tokens.requestCount(), 1u) << "backing off: no second call to the token endpoint";

    EXPECT_EQ(s.claude.requestCount(), 0u);
    EXPECT_EQ(s.fileText("claude-a.json"), before) << "the file is untouched";
    const auto entry = s.authFile("claude-a.json");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->getValue<std::string>("status"), "error");
    EXPECT_NE(entry->getValue<std::string>("status_message").find("did not answer"), std::string::npos);
    EXPECT_TRUE(entry->getValue<bool>("unavailable"));
    EXPECT_TRUE(entry->has("next_retry_after"));
}

TEST(OAuthModels, AnOAuthModelAliasIsOfferedAndTheUpstreamReceivesTheRealName) {
    TrafficServer s({{"claude-a.json", claudeFile("sk-ant-oat-valid", 30 * 86400)}},
                    "oauth-model-alias:\n"
                    "  claude:\n"
                    "    - name: \"claude-sonnet-4-5-20250929\"\n"
                    "      alias: \"my-sonnet\"\n"
                    "    - name: \"claude-opus-4-6\"\n"
                    "      alias: \"big-one\"\n"
                    "      fork: true\n");
    s.claude.setHandler([](const UpstreamRequest&) { return claudeMessage(); });
    const auto models = httpRequest(s.server->port(), "GET", "/v1/models", kClient);
    ASSERT_EQ(models.status, 200) << models.body;
    EXPECT_NE(models.body.find("\"my-sonnet\""), std::string::npos) << models.body;
    EXPECT_EQ(models.body.find("\"claude-sonnet-4-5-20250929\""), std::string::npos) << "no fork: the name is hidden";
    EXPECT_NE(models.body.find("\"big-one\""), std::string::npos);
    EXPECT_NE(models.body.find("\"claude-opus-4-6\""), std::string::npos) << "fork: both";

    const auto r = s.messages("my-sonnet");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(s.claude.requestCount(), 1u);
    EXPECT_EQ(jsonObject(s.claude.requests()[0].body)->getValue<std::string>("model"), kClaudeModel);
    ASSERT_EQ(s.messages("big-one").status, 200);
    ASSERT_EQ(s.messages("claude-opus-4-6").status, 200);
    ASSERT_EQ(s.claude.requestCount(), 3u);
    EXPECT_EQ(jsonObject(s.claude.requests()[1].body)->getValue<std::string>("model"), "claude-opus-4-6");
    EXPECT_EQ(jsonObject(s.claude.requests()[2].body)->getValue<std::string>("model"), "claude-opus-4-6");
    // The hidden name is not routed to this credential.
    EXPECT_NE(s.messages(kClaudeModel).status, 200);
    EXPECT_EQ(s.claude.requestCount(), 3u);

    // An alias edit applies without a restart.
    ASSERT_EQ(s.mgmt("PUT", "/oauth-model-alias", R"({"claude":[{"name":"claude-sonnet-4-5-20250929","alias":"other"}]})")
                  .status,
              200);
    ASSERT_TRUE(eventually([&] { return s.messages("other").status == 200; }));
    EXPECT_EQ(jsonObject(s.claude.requests().back().body)->getValue<std::string>("model"), kClaudeModel);
}
