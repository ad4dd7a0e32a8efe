// The Codex OAuth executor (stream and collected non-stream, account id,
// usage) and a chat client reaching a Claude OAuth credential through
// translation; /api-call with a file's auth_index uses the same token source.
#include "oauth_traffic_support.hpp"

#include <gtest/gtest.h>

using namespace cpa::test;
using namespace cpa::test::oauth;

namespace {

UpstreamReply codexStream() {
    UpstreamReply r;
    r.headers = {{"Content-Type", "text/event-stream"}};
    r.events = {
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"output\":[]}}\n\n",
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n",
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi\"}]}],\"usage\":{\"input_tokens\":5,\"output_tokens\":2,\"total_tokens\":7}}}\n\n"};
    return r;
}

HttpResponse responses(const TrafficServer& s, bool stream) {
    return httpRequest(s.server->port(), "POST", "/v1/responses", kClient,
                       R"({"model":")" + kCodexModel + R"(","input":"hi","stream":)" + (stream ? "true" : "false") + "}");
}

}  // namespace

TEST(OAuthExecutors, CodexStreamsEndWithResponseCompletedAndCarryTheAccountId) {
    TrafficServer s({{"codex-a.json", codexFile("codex-token", 30 * 86400)}});
    s.codex.setHandler([](const UpstreamRequest&) { return codexStream(); });
    const auto r = responses(s, true);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("response.completed"), std::string::npos) << r.body;
    ASSERT_EQ(s.codex.requestCount(), 1u);
    const UpstreamRequest sent = s.codex.requests().front();
    EXPECT_EQ(sent.target, "/backend-api/codex/responses");
    EXPECT_EQ(sent.header("Authorization"), "Bearer codex-token");
    EXPECT_EQ(sent.header("Chatgpt-Account-Id"), "acct-7");
    EXPECT_EQ(sent.header("Originator"), "codex-tui");
    const auto body = jsonObject(sent.body);
    EXPECT_TRUE(body->getValue<bool>("stream"));
    EXPECT_EQ(body->getValue<std::string>("instructions"), "");

    // A non-streaming client gets the completed response collected from the stream.
    const auto collected = responses(s, false);
    ASSERT_EQ(collected.status, 200) << collected.body;
    EXPECT_EQ(jsonObject(collected.body)->getValue<std::string>("id"), "resp_1");

    // Usage: both requests counted under the file's account.
    const Poco::JSON::Object::Ptr model = usageOfModel(s, kCodexModel, 2);
    ASSERT_TRUE(model) << s.mgmt("GET", "/usage").body;
    EXPECT_EQ(model->getValue<int>("total_tokens"), 14);
    EXPECT_EQ(model->getArray("details")->getObject(0)->getValue<std::string>("source"), "c@example.com");
}

TEST(OAuthExecutors, AChatClientReachesAClaudeOAuthCredentialThroughTranslation) {
    TrafficServer s({{"claude-a.json", claudeFile("sk-ant-oat-valid", 30 * 86400)}});
    s.claude.setHandler([](const UpstreamRequest&) { return claudeMessage("translated"); });
    const auto r = httpRequest(s.server->port(), "POST", "/v1/chat/completions", kClient,
                               R"({"model":")" + kClaudeModel + R"(","messages":[{"role":"user","content":"hi"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("chat.completion"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("translated"), std::string::npos) << r.body;
    ASSERT_EQ(s.claude.requestCount(), 1u);
    EXPECT_EQ(s.claude.requests().front().header("Authorization"), "Bearer sk-ant-oat-valid");
}

TEST(OAuthExecutors, ApiCallWithAFileAuthIndexUsesTheRefreshedToken) {
    TrafficServer s({{"claude-a.json", claudeFile("sk-ant-oat-old", -60)}}, "", "",
                    [](TrafficServer& t) { t.tokens.enqueue(tokenReply("sk-ant-oat-new")); });
    const auto entry = s.authFile("claude-a.json");
    ASSERT_TRUE(entry);
    const std::string index = entry->getValue<std::string>("auth_index");
    const auto r = s.mgmt("POST", "/api-call",
                          R"({"auth_index":")" + index + R"(","method":"GET","url":")" + s.claude.baseUrl() +
                              R"(/v1/me","header":{"Authorization":"Bearer $TOKEN$"}})");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(s.claude.requestCount(), 1u);
    EXPECT_EQ(s.claude.requests().front().header("Authorization"), "Bearer sk-ant-oat-new");
    EXPECT_EQ(s.tokens.requestCount(), 1u);
}
