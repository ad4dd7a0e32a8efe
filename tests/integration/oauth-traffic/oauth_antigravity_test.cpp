// Antigravity auth files serve traffic (issue 21, oauth-executors.md §3.4,
// §4.2, §2.4–§2.5): Antigravity's envelope out, Code Assist answers back,
// Google token refresh (at start, once for concurrent requests, after a 401)
// written with the original's metadata, failures, lifecycle, streams, the
// stream path for Claude models, translation from chat clients, usage.
#include "oauth_gemini_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace cpa::test;
using namespace cpa::test::oauth;

namespace {

const std::string kAgModel = "gemini-3-flash";
const std::string kAgClaude = "claude-sonnet-4-6";

std::int64_t nowMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// An Antigravity file as the login writes it; `expiresIn` seconds from now (negative: expired).
std::string antigravityFile(const std::string& access, std::int64_t expiresIn, const std::string& extra = "") {
    return R"({"access_token":")" + access + R"(","email":"ag@example.com","expired":")" + rfc3339In(expiresIn) +
           R"(","expires_in":3599,"project_id":"ag-proj","refresh_token":"rt-ag","timestamp":)" +
           std::to_string(nowMillis() - 1000) + R"(,"type":"antigravity")" + extra + "}\n";
}

UpstreamReply sse(std::vector<std::string> events) {
    UpstreamReply r;
    r.headers = {{"Content-Type", "text/event-stream"}};
    r.events = std::move(events);
    return r;
}

/// Two Code Assist chunks: "hel" then "lo" with the finish reason and usage.
UpstreamReply twoChunkStream() {
    return sse({"data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"hel\"}]}}]},\"traceId\":\"t\"}\n\n",
                "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"lo\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2,\"totalTokenCount\":5}},\"traceId\":\"t\"}\n\n"});
}

Poco::JSON::Object::Ptr sentBody(const UpstreamRequest& r) { return jsonObject(r.body); }

}  // namespace

TEST(OAuthAntigravity, AValidTokenSendsTheEnvelopeTheClientGetsTheGeminiBodyAndUsageIsCounted) {
    TrafficServer s({{"antigravity-a.json", antigravityFile("ya29.valid", 3000)}});
    s.antigravity.enqueue(codeAssistReply());
    const auto models = httpRequest(s.server->port(), "GET", "/v1/models", kClient);
    EXPECT_NE(models.body.find("\"" + kAgModel + "\""), std::string::npos) << models.body;
    const auto r = geminiGenerate(s, kAgModel);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(jsonObject(r.body)->has("response")) << r.body;
    EXPECT_NE(r.body.find("\"hello\""), std::string::npos);
    ASSERT_EQ(s.antigravity.requestCount(), 1u);
    const UpstreamRequest sent = s.antigravity.requests().front();
    EXPECT_EQ(sent.target, "/v1internal:generateContent");
    EXPECT_EQ(sent.header("Authorization"), "Bearer ya29.valid");
    EXPECT_EQ(sent.header("User-Agent"), "antigravity/1.21.9 darwin/arm64");
    EXPECT_EQ(sent.header("Connection"), "close");
    const auto body = sentBody(sent);
    EXPECT_EQ(body->getValue<std::string>("model"), kAgModel);
    EXPECT_EQ(body->getValue<std::string>("project"), "ag-proj");
    EXPECT_EQ(body->getValue<std::string>("userAgent"), "antigravity");
    EXPECT_EQ(body->getValue<std::string>("requestType"), "agent");
    EXPECT_EQ(body->getValue<std::string>("requestId").rfind("agent-", 0), 0u);
    const auto request = body->getObject("request");
    ASSERT_TRUE(request);
    EXPECT_TRUE(request->has("contents"));
    EXPECT_FALSE(request->has("safetySettings"));
    EXPECT_FALSE(request->has("model"));
    EXPECT_EQ(request->getValue<std::string>("sessionId").rfind("-", 0), 0u);
    EXPECT_EQ(s.tokens.requestCount(), 0u) << "a valid token is not refreshed";

    const Poco::JSON::Object::Ptr model = usageOfModel(s, kAgModel, 1);
    ASSERT_TRUE(model) << s.mgmt("GET", "/usage").body;
    EXPECT_EQ(model->getValue<int>("total_tokens"), 7);
    EXPECT_EQ(model->getArray("details")->getObject(0)->getValue<std::string>("source"), "ag@example.com");
}

TEST(OAuthAntigravity, AnExpiredTokenIsRefreshedOnceAndWrittenWithTheOriginalsFields) {
    TrafficServer s({{"antigravity-a.json", antigravityFile("ya29.old", -60)}}, "", "",
                    [](TrafficServer& t) { t.tokens.enqueue(googleTokenReply("ya29.new")); });
    s.antigravity.setHandler([](const UpstreamRequest&) { return codeAssistReply(); });
    ASSERT_EQ(geminiGenerate(s, kAgModel).status, 200);
    ASSERT_EQ(geminiGenerate(s, kAgModel).status, 200);
    ASSERT_EQ(s.tokens.requestCount(), 1u);
    const UpstreamRequest refresh = s.tokens.requests().front();
    EXPECT_EQ(refresh.target, "/token");
    EXPECT_NE(refresh.body.find("refresh_token=rt-ag"), std::string::npos);
    EXPECT_NE(refresh.body.find("client_secret=GOCSPX-"), std::string::npos);
    EXPECT_EQ(refresh.header("User-Agent"), "Go-http-client/2.0");
    for (const auto& sent : s.antigravity.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer ya29.new");
    const auto file = jsonObject(s.fileText("antigravity-a.json"));
    EXPECT_EQ(file->getValue<std::string>("access_token"), "ya29.new");
    EXPECT_EQ(file->getValue<std::string>("refresh_token"), "rt-ag") << "kept: Google sent none";
    EXPECT_GT(file->getValue<std::string>("expired"), rfc3339In(1800));
    EXPECT_EQ(file->getValue<int>("expires_in"), 3599);
    EXPECT_GT(file->getValue<std::int64_t>("timestamp"), nowMillis() - 60'000);
    EXPECT_FALSE(file->has("last_refresh")) << "the original writes none for antigravity (oauth-executors.md §2.4)";
    EXPECT_EQ(file->getValue<std::string>("project_id"), "ag-proj");
    EXPECT_EQ(fileMode(s.auth / "antigravity-a.json"), 0600u);
}

TEST(OAuthAntigravity, ConcurrentRequestsOnAnExpiredTokenShareOneRefresh) {
    TrafficServer s({{"antigravity-a.json", antigravityFile("ya29.old", -60)}}, "http-server:\n  max-threads: 64\n", "",
                    [](TrafficServer& t) {
                        UpstreamReply slow = googleTokenReply("ya29.new");
                        slow.firstByteDelay = std::chrono::milliseconds(1500);
                        t.tokens.enqueue(slow);
                    });
    s.antigravity.setHandler([](const UpstreamRequest&) { return codeAssistReply(); });
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 24; ++i)
        clients.emplace_back([&] {
            if (geminiGenerate(s, kAgModel).status == 200) ++ok;
        });
    for (auto& t : clients) t.join();
    EXPECT_EQ(ok.load(), 24);
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    EXPECT_EQ(s.antigravity.requestCount(), 24u);
    for (const auto& sent : s.antigravity.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer ya29.new");
}

TEST(OAuthAntigravity, AnUpstream401RefreshesOnceAndRetries) {
    TrafficServer s({{"antigravity-a.json", antigravityFile("ya29.revoked", 3000)}});
    UpstreamReply denied;
    denied.status = 401;
    denied.body = R"({"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}})";
    s.antigravity.enqueue(denied);
    s.antigravity.enqueue(codeAssistReply("after refresh"));
    s.tokens.enqueue(googleTokenReply("ya29.fresh"));
    const auto r = geminiGenerate(s, kAgModel);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("after refresh"), std::string::npos);
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    ASSERT_EQ(s.antigravity.requestCount(), 2u);
    EXPECT_EQ(s.antigravity.requests()[1].header("Authorization"), "Bearer ya29.fresh");
    EXPECT_EQ(jsonObject(s.fileText("antigravity-a.json"))->getValue<std::string>("access_token"), "ya29.fresh");
}

TEST(OAuthAntigravity, ARefreshFailureIsAClearErrorInTheClientsFormatAndShownOnAuthFiles) {
    const std::string before = antigravityFile("ya29.old", -60);
    TrafficServer s({{"antigravity-a.json", before}}, "", "", [](TrafficServer& t) {
        UpstreamReply refused;
        refused.status = 400;
        refused.body = R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})";
        t.tokens.enqueue(refused);
    });
    const auto r = chatCompletion(s, kAgModel);
    EXPECT_EQ(r.status, 401) << r.body;
    const auto error = jsonObject(r.body)->getObject("error");
    ASSERT_TRUE(error) << r.body;
    EXPECT_NE(error->getValue<std::string>("message").find("token refresh failed with status 400"), std::string::npos)
        << r.body;
    EXPECT_EQ(s.antigravity.requestCount(), 0u);
    EXPECT_EQ(s.fileText("antigravity-a.json"), before);
    const auto entry = s.authFile("antigravity-a.json");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->getValue<std::string>("status"), "error");
    EXPECT_TRUE(entry->getValue<bool>("unavailable"));
}

TEST(OAuthAntigravity, AnUploadIsRoutedADeleteAndADisabledFileAreNot) {
    TrafficServer s({{"antigravity-off.json", antigravityFile("ya29.off", 3000, R"(,"disabled":true)")}});
    s.antigravity.setHandler([](const UpstreamRequest&) { return codeAssistReply(); });
    EXPECT_NE(geminiGenerate(s, kAgModel).status, 200) << "only a disabled file";
    EXPECT_EQ(s.antigravity.requestCount(), 0u);
    ASSERT_EQ(httpRequest(s.server->port(), "POST", "/v0/management/auth-files?name=antigravity-up.json", kMgmt,
                          antigravityFile("ya29.up", 3000))
                  .status,
              200);
    ASSERT_TRUE(eventually([&] { return geminiGenerate(s, kAgModel).status == 200; }, std::chrono::milliseconds(2000)));
    for (const auto& sent : s.antigravity.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer ya29.up");
    ASSERT_EQ(s.mgmt("DELETE", "/auth-files?name=antigravity-up.json").status, 200);
    ASSERT_TRUE(eventually([&] { return geminiGenerate(s, kAgModel).status != 200; }, std::chrono::milliseconds(2000)));
    const std::size_t served = s.antigravity.requestCount();
    EXPECT_NE(geminiGenerate(s, kAgModel).status, 200);
    EXPECT_EQ(s.antigravity.requestCount(), served) << "the disabled file is never used";
}

TEST(OAuthAntigravity, StreamsReachGeminiAndChatClientsWithEveryEventAndTheTerminator) {
    TrafficServer s({{"antigravity-a.json", antigravityFile("ya29.valid", 3000)}});
    s.antigravity.enqueue(twoChunkStream());
    const auto g = geminiGenerate(s, kAgModel, "streamGenerateContent", "?alt=sse");
    ASSERT_EQ(g.status, 200) << g.body;
    EXPECT_EQ(g.body.find("\"response\""), std::string::npos) << g.body;
    EXPECT_NE(g.body.find("\"hel\""), std::string::npos) << g.body;
    EXPECT_NE(g.body.find("\"lo\""), std::string::npos) << g.body;
    EXPECT_NE(g.body.find("\"finishReason\":\"STOP\""), std::string::npos) << g.body;
    EXPECT_EQ(s.antigravity.requests().front().target, "/v1internal:streamGenerateContent?alt=sse");

    s.antigravity.enqueue(twoChunkStream());
    const auto c = chatCompletion(s, kAgModel, true);
    ASSERT_EQ(c.status, 200) << c.body;
    EXPECT_NE(c.body.find("chat.completion.chunk"), std::string::npos) << c.body;
    EXPECT_NE(c.body.find("\"hel\""), std::string::npos) << c.body;
    EXPECT_NE(c.body.find("\"lo\""), std::string::npos) << c.body;
    EXPECT_NE(c.body.find("\"finish_reason\":\"stop\""), std::string::npos) << c.body;
    EXPECT_NE(c.body.find("data: [DONE]"), std::string::npos) << c.body;
}

TEST(OAuthAntigravity, AChatClientIsTranslatedAndAClaudeModelUsesTheStreamPathMerged) {
    TrafficServer s({{"antigravity-a.json", antigravityFile("ya29.valid", 3000)}});
    s.antigravity.enqueue(codeAssistReply("translated"));
    const auto r = chatCompletion(s, kAgModel);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(jsonObject(r.body)->getValue<std::string>("object"), "chat.completion");
    EXPECT_NE(r.body.find("translated"), std::string::npos);
    EXPECT_EQ(s.antigravity.requests().front().target, "/v1internal:generateContent");
    EXPECT_FALSE(sentBody(s.antigravity.requests().front())->getObject("request")->has("generationConfig") &&
                 sentBody(s.antigravity.requests().front())
                     ->getObject("request")
                     ->getObject("generationConfig")
                     ->has("maxOutputTokens"));

    // A non-stream Claude request goes to the stream path; the events merge into one answer.
    s.antigravity.enqueue(twoChunkStream());
    const auto claude = chatCompletion(s, kAgClaude);
    ASSERT_EQ(claude.status, 200) << claude.body;
    const auto answer = jsonObject(claude.body);
    EXPECT_EQ(answer->getArray("choices")->getObject(0)->getObject("message")->getValue<std::string>("content"),
              "hello");
    const UpstreamRequest sent = s.antigravity.requests()[1];
    EXPECT_EQ(sent.target, "/v1internal:streamGenerateContent?alt=sse");
    EXPECT_EQ(sentBody(sent)->getObject("request")->getObject("toolConfig")->getObject("functionCallingConfig")
                  ->getValue<std::string>("mode"),
              "VALIDATED");
    EXPECT_EQ(answer->getObject("usage")->getValue<int>("total_tokens"), 5);
}

TEST(OAuthAntigravity, ASoftRateLimitIsRetriedOnTheSameCredentialAndCountTokensSendsOnlyTheRequest) {
    TrafficServer s({{"antigravity-a.json", antigravityFile("ya29.valid", 3000)}}, "request-retry: 1\n");
    UpstreamReply soft;
    soft.status = 429;
    soft.body = R"({"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}})";
    s.antigravity.enqueue(soft);
    s.antigravity.enqueue(codeAssistReply("second time"));
    const auto r = geminiGenerate(s, kAgModel);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("second time"), std::string::npos);
    EXPECT_EQ(s.antigravity.requestCount(), 2u);

    UpstreamReply count;
    count.body = R"({"totalTokens":9})";
    s.antigravity.enqueue(count);
    const auto c = geminiGenerate(s, kAgModel, "countTokens");
    ASSERT_EQ(c.status, 200) << c.body;
    EXPECT_EQ(jsonObject(c.body)->getValue<int>("totalTokens"), 9);
    const UpstreamRequest sent = s.antigravity.requests()[2];
    EXPECT_EQ(sent.target, "/v1internal:countTokens");
    const auto body = sentBody(sent);
    EXPECT_FALSE(body->has("project"));
    EXPECT_FALSE(body->has("model"));
    EXPECT_FALSE(body->getObject("request")->has("safetySettings"));
}

TEST(OAuthAntigravity, AFileBaseUrlAndUserAgentReplaceTheConfiguredOnes) {
    FakeUpstream own;
    own.setHandler([](const UpstreamRequest&) { return codeAssistReply("own"); });
    TrafficServer s({{"antigravity-a.json",
                      antigravityFile("ya29.valid", 3000,
                                      R"(,"base_url":")" + own.baseUrl() +
                                          R"(/","user_agent":"antigravity/2.0.1 darwin/arm64 google-api-nodejs-client/10.3.0")")}});
    const auto r = geminiGenerate(s, kAgModel);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("own"), std::string::npos);
    EXPECT_EQ(s.antigravity.requestCount(), 0u);
    ASSERT_EQ(own.requestCount(), 1u);
    EXPECT_EQ(own.requests().front().header("User-Agent"), "antigravity/2.0.1 darwin/arm64");
}

TEST(OAuthAntigravity, ARefreshOfAFileWithoutAProjectDiscoversAndStoresIt) {
    // oauth-executors.md §2.4, §5.3: loadCodeAssist names no project, onboarding does on its second poll.
    std::string file = antigravityFile("ya29.old", -60);
    file.replace(file.find(R"("project_id":"ag-proj",)"), std::string(R"("project_id":"ag-proj",)").size(), "");
    TrafficServer s({{"antigravity-a.json", file}}, "", "", [](TrafficServer& t) {
        t.tokens.enqueue(googleTokenReply("ya29.new"));
        UpstreamReply load, pending, done;
        load.body = R"({"allowedTiers":[{"id":"free-tier","isDefault":true}]})";
        pending.body = R"({"done":false})";
        done.body = R"({"done":true,"response":{"cloudaicompanionProject":{"id":"found-proj"}}})";
        for (const UpstreamReply& r : {load, pending, done}) t.antigravity.enqueue(r);
    });
    ASSERT_TRUE(eventually([&] { return s.fileText("antigravity-a.json").find("found-proj") != std::string::npos; }))
        << s.fileText("antigravity-a.json");
    const auto calls = s.antigravity.requests();
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0].target, "/v1internal:loadCodeAssist");
    EXPECT_EQ(calls[0].header("Authorization"), "Bearer ya29.new");
    EXPECT_EQ(calls[1].target, "/v1internal:onboardUser");
    EXPECT_EQ(jsonObject(calls[1].body)->getValue<std::string>("tierId"), "free-tier");
    EXPECT_EQ(jsonObject(s.fileText("antigravity-a.json"))->getValue<std::string>("access_token"), "ya29.new");

    s.antigravity.setHandler([](const UpstreamRequest&) { return codeAssistReply(); });
    ASSERT_TRUE(eventually([&] {
        const auto before = s.antigravity.requestCount();
        if (geminiGenerate(s, kAgModel).status != 200 || s.antigravity.requestCount() == before) return false;
        return sentBody(s.antigravity.requests().back())->getValue<std::string>("project") == "found-proj";
    }));
}
