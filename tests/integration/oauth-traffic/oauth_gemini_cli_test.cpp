// Gemini CLI auth files serve traffic (issue 21, oauth-executors.md §3.3,
// §5): the Code Assist envelope out and back, Google token refresh (in the
// background, once, shared by concurrent requests, after a 401), failures,
// lifecycle, streams, translation from other client formats and multi-project
// files.
#include "oauth_gemini_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace cpa::test;
using namespace cpa::test::oauth;

TEST(OAuthGeminiCli, AValidTokenSendsTheCodeAssistEnvelopeAndTheClientGetsTheGeminiBody) {
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.valid", 3000)}});
    s.codeAssist.enqueue(codeAssistReply());
    const auto r = geminiGenerate(s);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto answer = jsonObject(r.body);
    EXPECT_FALSE(answer->has("response")) << r.body;
    EXPECT_NE(r.body.find("\"hello\""), std::string::npos);
    ASSERT_EQ(s.codeAssist.requestCount(), 1u);
    const UpstreamRequest sent = s.codeAssist.requests().front();
    EXPECT_EQ(sent.target, "/v1internal:generateContent");
    EXPECT_EQ(sent.header("Authorization"), "Bearer ya29.valid");
    EXPECT_EQ(sent.header("User-Agent").rfind("GeminiCLI/0.31.0/gemini-2.5-pro (", 0), 0u) << sent.header("User-Agent");
    EXPECT_EQ(sent.header("X-Goog-Api-Client"), "google-genai-sdk/1.41.0 gl-node/v22.19.0");
    const auto body = jsonObject(sent.body);
    EXPECT_EQ(body->getValue<std::string>("project"), "proj-1");
    EXPECT_EQ(body->getValue<std::string>("model"), kGeminiModel);
    ASSERT_TRUE(body->getObject("request"));
    EXPECT_TRUE(body->getObject("request")->has("contents"));
    EXPECT_FALSE(body->getObject("request")->has("model"));
    EXPECT_EQ(s.tokens.requestCount(), 0u);
}

TEST(OAuthGeminiCli, AnExpiredTokenIsRefreshedAtGoogleOnceAndTheFileKeepsItsLayout) {
    // The background loop refreshes it at start; the requests use its token.
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.old", -60)}}, "", "",
                    [](TrafficServer& t) { t.tokens.enqueue(googleTokenReply("ya29.new")); });
    s.codeAssist.setHandler([](const UpstreamRequest&) { return codeAssistReply(); });
    ASSERT_EQ(geminiGenerate(s).status, 200);
    ASSERT_EQ(geminiGenerate(s).status, 200);
    ASSERT_EQ(s.tokens.requestCount(), 1u);
    const UpstreamRequest refresh = s.tokens.requests().front();
    EXPECT_EQ(refresh.target, "/token");
    EXPECT_NE(refresh.body.find("grant_type=refresh_token"), std::string::npos);
    EXPECT_NE(refresh.body.find("refresh_token=rt-g"), std::string::npos);
    EXPECT_NE(refresh.body.find("client_secret=GOCSPX-"), std::string::npos) << "the configured client, not the file's";
    for (const auto& sent : s.codeAssist.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer ya29.new");
    const auto file = jsonObject(s.fileText("gemini-g.json"));
    const auto token = file->getObject("token");
    EXPECT_EQ(token->getValue<std::string>("access_token"), "ya29.new");
    EXPECT_EQ(token->getValue<std::string>("refresh_token"), "rt-g") << "kept: Google sent none";
    EXPECT_GT(token->getValue<std::string>("expiry"), rfc3339In(1800));
    EXPECT_EQ(file->getValue<std::string>("project_id"), "proj-1");
    EXPECT_EQ(fileMode(s.auth / "gemini-g.json"), 0600u);
}

TEST(OAuthGeminiCli, ATokenWithinTheLeadIsRefreshedInTheBackgroundWithNoRequest) {
    // The 5 min lead (oauth-executors.md §2.3, ours for Gemini CLI): 2 min left is due now.
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.soon", 120)}}, "", "", [](TrafficServer& t) {
        t.tokens.setHandler([](const UpstreamRequest&) { return googleTokenReply("ya29.bg"); });
    });
    ASSERT_TRUE(eventually([&] { return s.fileText("gemini-g.json").find("ya29.bg") != std::string::npos; }));
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    EXPECT_EQ(s.codeAssist.requestCount(), 0u) << "no request was sent";
    const auto token = jsonObject(s.fileText("gemini-g.json"))->getObject("token");
    EXPECT_EQ(token->getValue<std::string>("access_token"), "ya29.bg");
    EXPECT_GT(token->getValue<std::string>("expiry"), rfc3339In(1800));
}

TEST(OAuthGeminiCli, ConcurrentRequestsOnAnExpiredTokenShareOneRefresh) {
    // The refresh (started by the background loop at start) is slow: every
    // request arrives while it is in flight and waits for it.
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.old", -60)}}, "http-server:\n  max-threads: 64\n", "",
                    [](TrafficServer& t) {
                        UpstreamReply slow = googleTokenReply("ya29.new");
                        slow.firstByteDelay = std::chrono::milliseconds(1500);
                        t.tokens.enqueue(slow);
                    });
    s.codeAssist.setHandler([](const UpstreamRequest&) { return codeAssistReply(); });
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 20; ++i)
        clients.emplace_back([&] {
            if (geminiGenerate(s).status == 200) ++ok;
        });
    for (auto& t : clients) t.join();
    EXPECT_EQ(ok.load(), 20);
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    for (const auto& sent : s.codeAssist.requests()) EXPECT_EQ(sent.header("Authorization"), "Bearer ya29.new");
}

TEST(OAuthGeminiCli, AnUpstream401RefreshesOnceAndRetries) {
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.revoked", 3000)}});
    UpstreamReply denied;
    denied.status = 401;
    denied.body = R"({"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}})";
    s.codeAssist.enqueue(denied);
    s.codeAssist.enqueue(codeAssistReply("after refresh"));
    s.tokens.enqueue(googleTokenReply("ya29.fresh"));
    const auto r = geminiGenerate(s);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("after refresh"), std::string::npos);
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    ASSERT_EQ(s.codeAssist.requestCount(), 2u);
    EXPECT_EQ(s.codeAssist.requests()[1].header("Authorization"), "Bearer ya29.fresh");
}

TEST(OAuthGeminiCli, ARefreshFailureIsAClearErrorAndTheFileIsUntouched) {
    const std::string before = geminiFile("ya29.old", -60);
    TrafficServer s({{"gemini-g.json", before}}, "", "", [](TrafficServer& t) {
        UpstreamReply refused;
        refused.status = 400;
        refused.body = R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})";
        t.tokens.enqueue(refused);
    });
    const auto r = geminiGenerate(s);
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_NE(r.body.find("token refresh failed with status 400"), std::string::npos) << r.body;
    EXPECT_EQ(s.codeAssist.requestCount(), 0u);
    EXPECT_EQ(s.fileText("gemini-g.json"), before);
    const auto entry = s.authFile("gemini-g.json");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->getValue<std::string>("status"), "error");
    EXPECT_TRUE(entry->getValue<bool>("unavailable"));
}

TEST(OAuthGeminiCli, AnUploadIsRoutedADeleteAndADisabledFileAreNot) {
    TrafficServer s({{"gemini-off.json", geminiFile("ya29.off", 3000, "proj-off", R"(,"disabled":true)")}});
    s.codeAssist.setHandler([](const UpstreamRequest&) { return codeAssistReply(); });
    EXPECT_NE(geminiGenerate(s).status, 200) << "only a disabled file";
    EXPECT_EQ(s.codeAssist.requestCount(), 0u);
    ASSERT_EQ(httpRequest(s.server->port(), "POST", "/v0/management/auth-files?name=gemini-up.json", kMgmt,
                          geminiFile("ya29.up", 3000, "proj-up"))
                  .status,
              200);
    ASSERT_TRUE(eventually([&] { return geminiGenerate(s).status == 200; }, std::chrono::milliseconds(2000)));
    for (const auto& sent : s.codeAssist.requests()) EXPECT_EQ(sentProject(sent), "proj-up");
    ASSERT_EQ(s.mgmt("DELETE", "/auth-files?name=gemini-up.json").status, 200);
    ASSERT_TRUE(eventually([&] { return geminiGenerate(s).status != 200; }, std::chrono::milliseconds(2000)));
}

TEST(OAuthGeminiCli, AStreamReachesAGeminiClientWithoutTheEnvelope) {
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.valid", 3000)}});
    UpstreamReply stream;
    stream.headers = {{"Content-Type", "text/event-stream"}};
    stream.events = {
        "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"hel\"}]}}]},\"traceId\":\"t\"}\n\n",
        "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"lo\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2,\"totalTokenCount\":5}},\"traceId\":\"t\"}\n\n"};
    s.codeAssist.enqueue(stream);
    const auto r = geminiGenerate(s, kGeminiModel, "streamGenerateContent", "?alt=sse");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body.find("\"response\""), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("data: {\"candidates\""), std::string::npos) << r.body;
    ASSERT_EQ(s.codeAssist.requestCount(), 1u);
    EXPECT_EQ(s.codeAssist.requests().front().target, "/v1internal:streamGenerateContent?alt=sse");
    EXPECT_EQ(s.codeAssist.requests().front().header("Accept"), "text/event-stream");
}

TEST(OAuthGeminiCli, ChatClientsAreTranslatedStreamAndNonStream) {
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.valid", 3000)}});
    s.codeAssist.enqueue(codeAssistReply("translated"));
    const auto r = chatCompletion(s, kGeminiModel);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(jsonObject(r.body)->getValue<std::string>("object"), "chat.completion");
    EXPECT_NE(r.body.find("translated"), std::string::npos);
    EXPECT_EQ(sentProject(s.codeAssist.requests().front()), "proj-1");

    UpstreamReply stream;
    stream.headers = {{"Content-Type", "text/event-stream"}};
    stream.events = {
        "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"streamed\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1,\"totalTokenCount\":4}}}\n\n"};
    s.codeAssist.enqueue(stream);
    const auto st = chatCompletion(s, kGeminiModel, true);
    ASSERT_EQ(st.status, 200) << st.body;
    EXPECT_NE(st.body.find("chat.completion.chunk"), std::string::npos) << st.body;
    EXPECT_NE(st.body.find("streamed"), std::string::npos) << st.body;
    EXPECT_NE(st.body.find("[DONE]"), std::string::npos);
}

TEST(OAuthGeminiCli, CountTokensSendsNoProjectOrModel) {
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.valid", 3000)}});
    UpstreamReply count;
    count.body = R"({"totalTokens":12})";
    s.codeAssist.enqueue(count);
    const auto r = geminiGenerate(s, kGeminiModel, "countTokens");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(jsonObject(r.body)->getValue<int>("totalTokens"), 12);
    const UpstreamRequest sent = s.codeAssist.requests().front();
    EXPECT_EQ(sent.target, "/v1internal:countTokens");
    const auto body = jsonObject(sent.body);
    EXPECT_FALSE(body->has("project"));
    EXPECT_FALSE(body->has("model"));
    EXPECT_FALSE(body->getObject("request")->has("safetySettings"));
}

TEST(OAuthGeminiCli, AMultiProjectFileServesEachProjectWithOneSharedToken) {
    TrafficServer s({{"gemini-all.json", geminiFile("ya29.old", -60, "p-one, p-two")}}, "", "",
                    [](TrafficServer& t) { t.tokens.enqueue(googleTokenReply("ya29.shared")); });
    s.codeAssist.setHandler([](const UpstreamRequest&) { return codeAssistReply(); });
    for (int i = 0; i < 4; ++i) ASSERT_EQ(geminiGenerate(s).status, 200);
    EXPECT_EQ(s.tokens.requestCount(), 1u);
    std::set<std::string> projects;
    for (const auto& sent : s.codeAssist.requests()) {
        projects.insert(sentProject(sent));
        EXPECT_EQ(sent.header("Authorization"), "Bearer ya29.shared");
    }
    EXPECT_EQ(projects, (std::set<std::string>{"p-one", "p-two"}));
    const auto files = jsonObject(s.mgmt("GET", "/auth-files").body)->getArray("files");
    int children = 0;
    for (std::size_t i = 0; i < files->size(); ++i) {
        const auto f = files->getObject(i);
        if (f->getValue<std::string>("id").rfind("gemini-all.json::", 0) != 0) continue;
        ++children;
        EXPECT_TRUE(f->getValue<bool>("runtime_only"));
        EXPECT_EQ(f->getValue<int>("success"), 2) << f->getValue<std::string>("id");
    }
    EXPECT_EQ(children, 2);
}

TEST(OAuthGeminiCli, AnOAuthModelAliasAppliesToEveryProjectOfAMultiProjectFile) {
    // oauth-model-alias (oauth-executors.md §1.4) reaches each project's credential.
    TrafficServer s({{"gemini-all.json", geminiFile("ya29.valid", 3000, "p-one,p-two")}},
                    "oauth-model-alias:\n"
                    "  gemini-cli:\n"
                    "    - name: \"gemini-2.5-pro\"\n"
                    "      alias: \"my-pro\"\n");
    s.codeAssist.setHandler([](const UpstreamRequest&) { return codeAssistReply(); });
    const auto models = httpRequest(s.server->port(), "GET", "/v1/models", kClient);
    ASSERT_EQ(models.status, 200) << models.body;
    EXPECT_NE(models.body.find("\"my-pro\""), std::string::npos) << models.body;
    EXPECT_EQ(models.body.find("\"gemini-2.5-pro\""), std::string::npos) << "no fork: the name is hidden";
    for (int i = 0; i < 4; ++i) ASSERT_EQ(geminiGenerate(s, "my-pro").status, 200);
    std::set<std::string> projects;
    for (const auto& sent : s.codeAssist.requests()) {
        projects.insert(sentProject(sent));
        EXPECT_EQ(sentModel(sent), "gemini-2.5-pro") << "the real name goes upstream";
    }
    EXPECT_EQ(projects, (std::set<std::string>{"p-one", "p-two"}));
}
