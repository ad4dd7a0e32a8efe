// Translation through the real server (issue 19): a client of one format
// served by a provider of another — the upstream receives its own format,
// the client gets its own answers, errors and usage records. The official
// SDKs drive the same pairs in tests/clients (label `clients`).
#include "fake_upstream.hpp"
#include "proxy_test_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

using namespace cpa::test;
using namespace cpa::test::proxy;

namespace {

const HeaderList kMgmt = {{"Authorization", "Bearer mgmt-secret"}};
const HeaderList kClient = {{"Authorization", "Bearer sk-client-1"}, {"Content-Type", "application/json"}};

std::string config(const FakeUpstream& claude, const FakeUpstream& gemini) {
    return "api-keys:\n  - \"sk-client-1\"\n"
           "remote-management:\n  secret-key: \"mgmt-secret\"\n"
           "usage-statistics-enabled: true\n"
           "claude-api-key:\n"
           "  - api-key: \"sk-up-claude\"\n"
           "    base-url: \"" + claude.baseUrl() + "\"\n"
           "    models:\n"
           "      - name: \"claude-real\"\n"
           "        alias: \"cl\"\n"
           "gemini-api-key:\n"
           "  - api-key: \"sk-up-gemini\"\n"
           "    base-url: \"" + gemini.baseUrl() + "\"\n"
           "    models:\n"
           "      - name: \"gem-real\"\n"
           "        alias: \"gm\"\n";
}

const std::string kChatBody =
    R"({"model":"cl","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"héllo"}]})";

UpstreamReply claudeMessage() {
    UpstreamReply r;
    r.body = R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-real",)"
             R"("content":[{"type":"text","text":"hi 👋"}],"stop_reason":"end_turn",)"
             R"("usage":{"input_tokens":9,"output_tokens":4,"cache_read_input_tokens":2}})";
    return r;
}

}  // namespace

TEST(ProxyTranslation, AChatClientReachesAClaudeProviderInItsOwnFormat) {
    FakeUpstream claude, gemini;
    claude.enqueue(claudeMessage());
    ServerProcess server(proxyServer(config(claude, gemini)));
    HttpClient c("127.0.0.1", server.port());
    const auto r = c.request("POST", "/v1/chat/completions", kClient, kChatBody);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = jsonObject(r.body);
    EXPECT_EQ(body->getValue<std::string>("object"), "chat.completion");
    EXPECT_EQ(body->getValue<std::string>("model"), "cl");
    const auto choice = body->getArray("choices")->getObject(0);
    EXPECT_EQ(choice->getObject("message")->getValue<std::string>("content"), "hi 👋");
    EXPECT_EQ(choice->getValue<std::string>("finish_reason"), "stop");
    EXPECT_EQ(body->getObject("usage")->getValue<int>("prompt_tokens"), 11) << "Claude's input plus its cache reads";

    ASSERT_EQ(claude.requestCount(), 1u);
    const UpstreamRequest sent = claude.requests().front();
    EXPECT_EQ(sent.target.rfind("/v1/messages", 0), 0u) << sent.target;
    EXPECT_EQ(sent.header("Authorization") + sent.header("x-api-key"), "Bearer sk-up-claude") << "the provider's key";
    const auto up = jsonObject(sent.body);
    EXPECT_EQ(up->getValue<std::string>("model"), "claude-real");
    EXPECT_EQ(up->getArray("system")->getObject(0)->getValue<std::string>("text"), "be brief");
    EXPECT_EQ(up->getArray("messages")->getObject(0)->getValue<std::string>("role"), "user");
    EXPECT_TRUE(up->has("max_tokens")) << "Claude requires it: the default is filled in";
    EXPECT_EQ(gemini.requestCount(), 0u);

    // The usage record counts the provider's numbers, as a Claude client's request would.
    Poco::JSON::Object::Ptr model;
    ASSERT_TRUE(eventually([&] {
        auto u = c.get("/v0/management/usage", kMgmt);
        if (u.status != 200) return false;
        auto apis = jsonObject(u.body)->getObject("usage")->getObject("apis");
        if (!apis || !apis->has("sk-client-1")) return false;
        model = apis->getObject("sk-client-1")->getObject("models")->getObject("claude-real");
        return model != nullptr;
    }));
    EXPECT_EQ(model->getValue<int>("total_requests"), 1);
    EXPECT_EQ(model->getValue<int>("total_tokens"), 13);
}

TEST(ProxyTranslation, AClaudeClientStreamsFromAGeminiProviderEventByEvent) {
    FakeUpstream claude, gemini;
    UpstreamReply reply;
    reply.headers = {{"Content-Type", "text/event-stream"}};
    // The first event is cut inside "ü" (0xC3 0xBC): the halves are written and flushed apart.
    reply.events = {
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Z\xc3",
        "\xbc\"}]}}]}\n\n",
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"rich\"}]}}]}\n\n",
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"lookup\","
        "\"args\":{\"city\":\"Zürich\"}}}]},\"finishReason\":\"STOP\"}],"
        "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":3,\"totalTokenCount\":8}}\n\n"};
    reply.eventDelay = std::chrono::milliseconds(20);
    gemini.enqueue(reply);
    ServerProcess server(proxyServer(config(claude, gemini)));
    HttpClient c("127.0.0.1", server.port());
    const auto r = c.request(
        "POST", "/v1/messages", kClient,
        R"({"model":"gm","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"where?"}],)"
        R"("tools":[{"name":"lookup","description":"find","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::vector<std::string> order = {"event: message_start", "\"text\":\"Zü\"", "\"text\":\"rich\"",
                                            "\"type\":\"tool_use\"", "\"name\":\"lookup\"", "input_json_delta",
                                            "\"stop_reason\":\"tool_use\"", "event: message_stop"};
    std::size_t at = 0;
    for (const std::string& needle : order) {
        const std::size_t found = r.body.find(needle, at);
        ASSERT_NE(found, std::string::npos) << needle << " after " << at << " in\n" << r.body;
        at = found;
    }
    EXPECT_TRUE(r.body.find("Zürich") != std::string::npos || r.body.find(R"(Z\u00fcrich)") != std::string::npos)
        << "the tool arguments arrive intact";

    ASSERT_EQ(gemini.requestCount(), 1u);
    const UpstreamRequest sent = gemini.requests().front();
    EXPECT_EQ(sent.target.rfind("/v1beta/models/gem-real:streamGenerateContent", 0), 0u) << sent.target;
    const auto up = jsonObject(sent.body);
    EXPECT_TRUE(up->has("contents")) << sent.body;
    ASSERT_TRUE(up->has("tools")) << sent.body;
    // (the Gemini builder's own normalisation writes the snake_case spelling, as for a Gemini client)
    EXPECT_EQ(up->getArray("tools")->getObject(0)->getArray("function_declarations")->getObject(0)->getValue<std::string>(
                  "name"),
              "lookup");
}

TEST(ProxyTranslation, UpstreamErrorsReachTheClientInItsOwnShape) {
    FakeUpstream claude, gemini;
    UpstreamReply quota;
    quota.status = 429;
    quota.body = R"({"error":{"code":429,"message":"Quota exceeded for gem-real","status":"RESOURCE_EXHAUSTED"}})";
    gemini.enqueue(quota);
    UpstreamReply bad;
    bad.status = 400;
    bad.body = R"({"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate"}})";
    claude.enqueue(bad);
    ServerProcess server(proxyServer(config(claude, gemini) + "disable-cooling: true\n"));
    HttpClient c("127.0.0.1", server.port());

    // A Claude client of a Gemini provider gets a Claude error with the upstream's status.
    auto r = c.request("POST", "/v1/messages", kClient,
                       R"({"model":"gm","max_tokens":5,"messages":[{"role":"user","content":"hi"}]})");
    EXPECT_EQ(r.status, 429) << r.body;
    auto e = jsonObject(r.body);
    EXPECT_EQ(e->getValue<std::string>("type"), "error");
    EXPECT_EQ(e->getObject("error")->getValue<std::string>("type"), "rate_limit_error");
    EXPECT_EQ(e->getObject("error")->getValue<std::string>("message"), "Quota exceeded for gem-real");

    // A Gemini client of a Claude provider gets a Google error.
    r = c.request("POST", "/v1beta/models/cl:generateContent", kClient,
                  R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})");
    EXPECT_EQ(r.status, 400) << r.body;
    e = jsonObject(r.body);
    EXPECT_EQ(e->getObject("error")->getValue<int>("code"), 400);
    EXPECT_EQ(e->getObject("error")->getValue<std::string>("status"), "INVALID_ARGUMENT");
    EXPECT_EQ(e->getObject("error")->getValue<std::string>("message"), "messages: roles must alternate");
}

TEST(ProxyTranslation, WhatTheTargetCannotExpressIsA400NamingItAndNothingIsSent) {
    FakeUpstream claude, gemini;
    ServerProcess server(proxyServer(config(claude, gemini)));
    HttpClient c("127.0.0.1", server.port());
    // Claude has no JSON-schema response format.
    auto r = c.request("POST", "/v1/chat/completions", kClient,
                       R"({"model":"cl","messages":[{"role":"user","content":"hi"}],)"
                       R"("response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}}})");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("json_schema"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("invalid_request_error"), std::string::npos) << r.body;
    // A wrongly shaped translated body names the field, in the client's shape.
    r = c.request("POST", "/v1/messages", kClient,
                  R"({"model":"gm","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"nope"}}]}]})");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(jsonObject(r.body)->getValue<std::string>("type"), "error");
    EXPECT_EQ(claude.requestCount() + gemini.requestCount(), 0u);
}

TEST(ProxyTranslation, TokenCountsAndLegacyCompletionsCrossFormatsToo) {
    FakeUpstream claude, gemini;
    UpstreamReply count;
    count.body = R"({"totalTokens":42})";
    gemini.enqueue(count);
    claude.enqueue(claudeMessage());
    ServerProcess server(proxyServer(config(claude, gemini)));
    HttpClient c("127.0.0.1", server.port());
    // Claude count_tokens on a Gemini model: Gemini's countTokens, answered in Claude's shape.
    auto r = c.request("POST", "/v1/messages/count_tokens", kClient,
                       R"({"model":"gm","messages":[{"role":"user","content":"count me"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, R"({"input_tokens":42})");
    ASSERT_EQ(gemini.requestCount(), 1u);
    EXPECT_NE(gemini.requests().front().target.find(":countTokens"), std::string::npos)
        << gemini.requests().front().target;
    // Legacy completions on a Claude model: a text_completion built from Claude's message.
    r = c.request("POST", "/v1/completions", kClient, R"({"model":"cl","prompt":"say hi"})");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = jsonObject(r.body);
    EXPECT_EQ(body->getValue<std::string>("object"), "text_completion");
    EXPECT_EQ(body->getArray("choices")->getObject(0)->getValue<std::string>("text"), "hi 👋");
    ASSERT_EQ(claude.requestCount(), 1u);
    EXPECT_NE(claude.requests().front().body.find("say hi"), std::string::npos) << claude.requests().front().body;
}
