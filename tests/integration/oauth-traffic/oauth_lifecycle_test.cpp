// File credentials come and go live (issue 20): an upload is routable within
// 2 s, a deleted file is no longer routed, a disabled one never used; a 429
// with a reset hint cools the credential and /auth-files shows it.
#include "oauth_traffic_support.hpp"

#include <gtest/gtest.h>

using namespace cpa::test;
using namespace cpa::test::oauth;

namespace {

bool modelListed(const TrafficServer& s, const std::string& model) {
    const auto r = httpRequest(s.server->port(), "GET", "/v1/models", kClient);
    return r.status == 200 && r.body.find("\"" + model + "\"") != std::string::npos;
}

}  // namespace

TEST(OAuthLifecycle, AnUploadIsUsableWithinTwoSecondsAndADeleteStopsRouting) {
    TrafficServer s;
    s.claude.setHandler([](const UpstreamRequest&) { return claudeMessage(); });
    EXPECT_FALSE(modelListed(s, kClaudeModel));
    const auto up = httpRequest(s.server->port(), "POST", "/v0/management/auth-files?name=claude-u.json", kMgmt,
                                claudeFile("sk-ant-oat-up", 30 * 86400));
    ASSERT_EQ(up.status, 200) << up.body;
    ASSERT_TRUE(eventually([&] { return s.messages().status == 200; }, std::chrono::milliseconds(2000)));
    EXPECT_EQ(s.claude.requests().back().header("Authorization"), "Bearer sk-ant-oat-up");

    ASSERT_EQ(s.mgmt("DELETE", "/auth-files?name=claude-u.json").status, 200);
    ASSERT_TRUE(eventually([&] { return !modelListed(s, kClaudeModel); }, std::chrono::milliseconds(2000)));
    const std::size_t before = s.claude.requestCount();
    EXPECT_NE(s.messages().status, 200);
    EXPECT_EQ(s.claude.requestCount(), before);
}

TEST(OAuthLifecycle, ADisabledFileIsNeverUsed) {
    TrafficServer s({{"claude-off.json", claudeFile("sk-ant-oat-off", 30 * 86400, R"(,"disabled":true)")},
                     {"claude-on.json", claudeFile("sk-ant-oat-on", 30 * 86400)}});
    s.claude.setHandler([](const UpstreamRequest&) { return claudeMessage(); });
    for (int i = 0; i < 4; ++i) ASSERT_EQ(s.messages().status, 200);
    for (const auto& sent : s.claude.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer sk-ant-oat-on");

    // Disabling the other one through PATCH leaves nothing to route.
    ASSERT_EQ(s.mgmt("PATCH", "/auth-files/status", R"({"name":"claude-on.json","disabled":true})").status, 200);
    ASSERT_TRUE(eventually([&] { return !modelListed(s, kClaudeModel); }, std::chrono::milliseconds(2000)));
    const std::size_t before = s.claude.requestCount();
    EXPECT_NE(s.messages().status, 200);
    EXPECT_EQ(s.claude.requestCount(), before);
}

TEST(OAuthLifecycle, AQuotaResetHintCoolsTheCredentialAndAuthFilesShowsIt) {
    TrafficServer s({{"codex-a.json", codexFile("codex-token", 30 * 86400)}});
    UpstreamReply limit;
    limit.status = 429;
    limit.body = R"({"error":{"type":"usage_limit_reached","message":"limit","resets_in_seconds":600}})";
    s.codex.enqueue(limit);
    const auto r = httpRequest(s.server->port(), "POST", "/v1/responses", kClient,
                               R"({"model":")" + kCodexModel + R"(","input":"hi"})");
    EXPECT_EQ(r.status, 429) << r.body;
    const auto entry = s.authFile("codex-a.json");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->getValue<std::string>("status"), "error");
    EXPECT_NE(entry->getValue<std::string>("status_message").find("usage_limit_reached"), std::string::npos);
    EXPECT_TRUE(entry->getValue<bool>("unavailable"));
    EXPECT_TRUE(entry->has("next_retry_after"));
    EXPECT_EQ(entry->getValue<int>("failed"), 1);

    // Cooling down: the next request is refused without reaching the upstream.
    const auto again = httpRequest(s.server->port(), "POST", "/v1/responses", kClient,
                                   R"({"model":")" + kCodexModel + R"(","input":"hi"})");
    EXPECT_EQ(again.status, 429) << again.body;
    EXPECT_EQ(s.codex.requestCount(), 1u);
}

TEST(OAuthLifecycle, AMalformedFileIsSkippedWithALogLineNamingIt) {
    TrafficServer s({{"broken.json", "{\"type\":\"claude\",\"access_token\":"},
                     {"claude-a.json", claudeFile("sk-ant-oat-valid", 30 * 86400)}});
    s.claude.setHandler([](const UpstreamRequest&) { return claudeMessage(); });
    EXPECT_EQ(s.messages().status, 200);
    EXPECT_TRUE(eventually([&] { return s.server->stderrText().find("broken.json") != std::string::npos ||
                                        s.server->stdoutText().find("broken.json") != std::string::npos; }))
        << s.server->stderrText();
}
