// AntigravityExecutor (oauth-executors.md §3.4.4, §4.2): the base URLs in
// turn, soft 429 / "no capacity" retries on the same credential, the instant
// retry, the short cooldown, count tokens without the loop; other
// credentials pass straight through.
#include "exec/antigravity_executor.hpp"
#include "support/routing_fakes.hpp"

#include <gtest/gtest.h>

using namespace cpa;
using namespace cpa::proxy;
using namespace cpa::proxy::testing;

namespace {

const char* kSoft429 = R"({"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}})";

std::string rateLimited(const char* delay) {
    return std::string(R"({"error":{"status":"RESOURCE_EXHAUSTED","details":[
      {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED"},
      {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":")") + delay + R"("}]}})";
}

struct Harness {
    ScriptedExecutor* inner;
    std::unique_ptr<AntigravityExecutor> exec;
    std::vector<std::chrono::milliseconds> pauses;
    std::vector<std::string> urls;  ///< the base URL of each call
    ExecRequest req;
    StringSink sink;

    explicit Harness(std::vector<std::string> baseUrls = {"https://a.test", "https://b.test"}, int retry = 1) {
        auto scripted = std::make_unique<ScriptedExecutor>();
        inner = scripted.get();
        exec = std::make_unique<AntigravityExecutor>(
            std::move(scripted), [this](std::chrono::milliseconds d, ClientSink&) { pauses.push_back(d); });
        auto cred = std::make_shared<UpstreamCredential>();
        cred->id = "antigravity-a.json";
        cred->wire = std::string(oauth_wire::kAntigravity);
        cred->baseUrls = std::move(baseUrls);
        req.credential = cred;
        req.format = ClientFormat::Gemini;
        req.geminiMethod = "generateContent";
        req.upstreamModel = "gemini-3-flash";
        req.requestRetry = retry;
    }
    void answer(int status, std::string body = "") {
        inner->push([this, status, body](const ExecRequest& r, ClientSink&) {
            urls.push_back(r.credential->baseUrl);
            ExecResult res = status == 200 ? ScriptedExecutor::ok() : ExecResult{};
            res.status = status;
            res.errorMessage = body;
            if (status == 0) res.errorCode = "connect";
            return res;
        });
    }
    ExecResult run() { return exec->execute(req, sink); }
};

}  // namespace

TEST(AntigravityExecutor, ANetworkErrorOrA429MovesToTheNextBaseUrl) {
    Harness h;
    h.answer(0);
    h.answer(200);
    EXPECT_TRUE(h.run().ok);
    EXPECT_EQ(h.urls, (std::vector<std::string>{"https://a.test", "https://b.test"}));

    Harness q;
    q.answer(429, R"({"error":{"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"QUOTA_EXHAUSTED"}]}})");
    q.answer(429, R"({"error":{"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"QUOTA_EXHAUSTED"}]}})");
    const ExecResult r = q.run();
    EXPECT_EQ(r.status, 429) << "a full quota ends the attempt after the last URL";
    EXPECT_EQ(q.urls.size(), 2u);
    EXPECT_TRUE(q.pauses.empty());
}

TEST(AntigravityExecutor, ASoftRateLimitIsRetriedAfterAGrowingPauseUpToRequestRetry) {
    Harness h({"https://a.test"}, 2);
    h.answer(429, kSoft429);
    h.answer(429, kSoft429);
    h.answer(200);
    EXPECT_TRUE(h.run().ok);
    EXPECT_EQ(h.pauses, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(500),
                                                                std::chrono::milliseconds(1000)}));

    Harness none({"https://a.test"}, 0);
    none.answer(429, kSoft429);
    EXPECT_EQ(none.run().status, 429) << "request-retry 0: one round";
    EXPECT_EQ(none.inner->calls().size(), 1u);
}

TEST(AntigravityExecutor, NoCapacityTriesTheNextUrlThenPauses) {
    Harness h({"https://a.test", "https://b.test"}, 1);
    const std::string busy = R"({"error":{"code":503,"message":"No capacity available for model x on the server"}})";
    h.answer(503, busy);
    h.answer(503, busy);
    h.answer(200);
    EXPECT_TRUE(h.run().ok);
    EXPECT_EQ(h.urls, (std::vector<std::string>{"https://a.test", "https://b.test", "https://a.test"}));
    EXPECT_EQ(h.pauses, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(250)}));
}

TEST(AntigravityExecutor, AnInstantRetryWaitsTheDelayAndAShortCooldownRestsTheCredential) {
    Harness h({"https://a.test"}, 1);
    h.answer(429, rateLimited("0.5s"));
    h.answer(200);
    EXPECT_TRUE(h.run().ok);
    EXPECT_EQ(h.pauses, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(1300)}));

    Harness c({"https://a.test"}, 1);
    c.answer(429, rateLimited("30s"));
    EXPECT_EQ(c.run().status, 429);
    const ExecResult rest = c.run();  // no upstream call while it rests
    EXPECT_EQ(rest.status, 429);
    EXPECT_NE(rest.errorMessage.find("short cooldown"), std::string::npos);
    ASSERT_TRUE(rest.retryAfter);
    EXPECT_GE(rest.retryAfter->count(), 29);
    EXPECT_EQ(c.inner->calls().size(), 1u);
    c.req.upstreamModel = "gemini-3-pro-high";  // per model
    c.answer(200);
    EXPECT_TRUE(c.run().ok);
}

TEST(AntigravityExecutor, CountTokensHasNoRetryLoopAndOtherCredentialsPassThrough) {
    Harness h({"https://a.test"}, 3);
    h.req.geminiMethod = "countTokens";
    h.answer(429, kSoft429);
    EXPECT_EQ(h.run().status, 429);
    EXPECT_EQ(h.inner->calls().size(), 1u);

    Harness other;
    auto cred = std::make_shared<UpstreamCredential>(*other.req.credential);
    cred->wire = std::string(oauth_wire::kGeminiCli);
    other.req.credential = cred;
    other.answer(429, kSoft429);
    EXPECT_EQ(other.run().status, 429);
    EXPECT_EQ(other.urls, (std::vector<std::string>{""})) << "no base URL of its own set";
}
