// Routing rules of data-plane §6 (selection, fallback, retries, errors) through the service
// with a scripted executor.
#include "support/compat_config.hpp"
#include "support/proxy_fixture.hpp"

#include <set>
#include <stdexcept>

namespace cpa::proxy::testing {
namespace {

using namespace std::chrono;

class Routing : public ProxyFixture {};

TEST_F(Routing, UnknownModelIs502) {
    start(compat({"k1"}));
    auto res = chat("nope");
    EXPECT_EQ(res.status(), 502);
    EXPECT_EQ(res.body(),
              R"({"error":{"message":"unknown provider for model nope","type":"server_error","code":"internal_server_error"}})");
    EXPECT_TRUE(exec->calls().empty());
}

TEST_F(Routing, AnotherFormatFamilyIsReachedThroughTranslation) {
    start(R"({"claude-api-key":[{"api-key":"ck","models":[{"name":"claude-real","alias":"cl"}]}]})");
    // A chat body that cannot be translated is the client's 400, in its own shape, before any attempt.
    auto res = chat("cl");
    EXPECT_EQ(res.status(), 400);
    EXPECT_EQ(res.bodyJson().find("error")->find("message")->asString(), "messages is required");
    EXPECT_EQ(res.bodyJson().find("error")->find("type")->asString(), "invalid_request_error");
    EXPECT_TRUE(exec->calls().empty());
    res = post("/v1/chat/completions", R"({"model":"cl","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}]})");
    EXPECT_EQ(res.status(), 200) << res.body();
    ASSERT_EQ(exec->calls().size(), 1u);
    ASSERT_NE(exec->calls()[0].conversation, nullptr);
    EXPECT_EQ(exec->calls()[0].conversation->system.at(0).text, "be brief");
    res = post("/v1/messages", R"({"model":"cl"})", ClientFormat::Claude);
    EXPECT_EQ(res.status(), 200);
    ASSERT_EQ(exec->calls().size(), 2u);
    EXPECT_EQ(exec->calls()[1].upstreamModel, "claude-real");
    EXPECT_FALSE(exec->calls()[1].stream);
    EXPECT_EQ(exec->calls()[1].conversation, nullptr) << "same format: the body passes untouched";
}

TEST_F(Routing, SuccessPassesResponseThrough) {
    start(compat({"k1"}));
    exec->pushOk(R"({"id":"chatcmpl-1"})");
    auto res = chat("m");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.body(), R"({"id":"chatcmpl-1"})");
    EXPECT_EQ(exec->calls()[0].upstreamModel, "up-m");
    EXPECT_EQ(exec->calls()[0].clientModel, "m");
}

TEST_F(Routing, FillFirstAlwaysTakesLowestId) {
    start(compat({"k1", "k2", "k3"}, R"("routing":{"strategy":"FF"})"));
    for (int i = 0; i < 3; ++i) chat("m");
    const auto first = keysInIdOrder().front();
    EXPECT_EQ(calledKeys(), (std::vector<std::string>{first, first, first}));
}

TEST_F(Routing, RoundRobinWalksIdOrder) {
    start(compat({"k1", "k2", "k3"}));
    for (int i = 0; i < 4; ++i) chat("m");
    auto ids = keysInIdOrder();
    EXPECT_EQ(calledKeys(), (std::vector<std::string>{ids[0], ids[1], ids[2], ids[0]}));
}

TEST_F(Routing, HigherPriorityFirstLowerWhenBlocked) {
    start(R"({"claude-api-key":[{"api-key":"low","models":[{"name":"c"}]},{"api-key":"high","priority":5,"models":[{"name":"c"}]}]})");
    post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_EQ(calledKeys(), (std::vector<std::string>{"high", "high"}));
    exec->pushError(401, "bad key");  // high cools down 30 min → low serves the rest of the round
    auto res = post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(calledKeys(), (std::vector<std::string>{"high", "high", "high", "low"}));
    clock->advance(minutes(31));
    post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_EQ(calledKeys().back(), "high");
}

TEST_F(Routing, MultiProviderRoundRobinIsWeightedBySlots) {
    start(R"({"gemini-api-key":[{"api-key":"g1","models":[{"name":"m"}]},{"api-key":"g2","models":[{"name":"m"}]}],
              "vertex-api-key":[{"api-key":"v1","models":[{"name":"m","alias":"m"}]}]})");
    EXPECT_EQ(service().registry().providersFor("m"), (std::vector<std::string>{"gemini", "vertex"}));
    for (int i = 0; i < 6; ++i)
        EXPECT_EQ(post("/v1beta/models/m:generateContent", "{}", ClientFormat::Gemini).status(), 200);
    std::vector<std::string> g;
    for (const auto& k : keysInIdOrder())
        if (k[0] == 'g') g.push_back(k);
    EXPECT_EQ(calledKeys(), (std::vector<std::string>{g[0], g[1], "v1", g[0], g[1], "v1"}));
}

TEST_F(Routing, MultiProviderFillFirstFollowsProviderOrder) {
    start(R"({"routing":{"strategy":"fill-first"},"gemini-api-key":[{"api-key":"g1","models":[{"name":"m"}]}],
              "vertex-api-key":[{"api-key":"v1","models":[{"name":"m","alias":"m"}]},{"api-key":"v2","models":[{"name":"m","alias":"m"}]}]})");
    // vertex has two credentials, so it is asked first.
    post("/v1beta/models/m:generateContent", "{}", ClientFormat::Gemini);
    EXPECT_EQ(keyOf(exec->calls()[0].credentialId)[0], 'v');
}

TEST_F(Routing, PrefixIsStrippedAndAliasResolved) {
    start(R"({"claude-api-key":[{"api-key":"ck","prefix":"/teamA/","models":[{"name":"claude-real","alias":"c"}]}]})");
    post("/v1/messages", R"({"model":"teamA/c"})", ClientFormat::Claude);
    post("/v1/messages", R"j({"model":"c(8192)"})j", ClientFormat::Claude);
    ASSERT_EQ(exec->calls().size(), 2u);
    EXPECT_EQ(exec->calls()[0].upstreamModel, "claude-real");
    EXPECT_EQ(exec->calls()[1].upstreamModel, "claude-real(8192)");  // suffix re-attached
    EXPECT_EQ(exec->calls()[1].clientModel, "c");
    EXPECT_EQ(post("/v1/messages", R"({"model":"teamB/c"})", ClientFormat::Claude).status(), 502);
}

TEST_F(Routing, ForceModelPrefixHidesThePlainName) {
    start(R"({"force-model-prefix":true,"claude-api-key":[{"api-key":"ck","prefix":"teamA","models":[{"name":"c"}]}]})");
    EXPECT_EQ(post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude).status(), 502);
    EXPECT_EQ(post("/v1/messages", R"({"model":"teamA/c"})", ClientFormat::Claude).status(), 200);
}

TEST_F(Routing, AliasPoolRotatesAndFallsBackWithinTheCredential) {
    start(compat({"k1"}, "", R"([{"name":"a1","alias":"p"},{"name":"a2","alias":"p"},{"name":"A1","alias":"p"}])"));
    chat("p");
    chat("p");
    ASSERT_EQ(exec->calls().size(), 2u);
    EXPECT_EQ(exec->calls()[0].upstreamModel, "a1");
    EXPECT_EQ(exec->calls()[1].upstreamModel, "a2");
    exec->pushError(500, "down");  // the rotated list starts at a1 again; a2 answers
    EXPECT_EQ(chat("p").status(), 200);
    ASSERT_EQ(exec->calls().size(), 4u);
    EXPECT_EQ(exec->calls()[2].upstreamModel, "a1");
    EXPECT_EQ(exec->calls()[3].upstreamModel, "a2");
    // a1 is cooling down (its own state key): the next request skips it.
    chat("p");
    EXPECT_EQ(exec->calls()[4].upstreamModel, "a2");
}

TEST_F(Routing, KeylessCompatSendsTheAliasUnchanged) {
    start(R"({"openai-compatibility":[{"name":"local","base-url":"http://127.0.0.1:1","models":[{"name":"real","alias":"m"}]}]})");
    chat("m");
    ASSERT_EQ(exec->calls().size(), 1u);
    EXPECT_EQ(exec->calls()[0].upstreamModel, "m");
}

TEST_F(Routing, RequestInvalidStopsAllFallback) {
    start(compat({"k1", "k2"}, R"("request-retry":3,"max-retry-interval":30)"));
    exec->pushError(400, R"({"error":{"type":"invalid_request_error","message":"bad"}})");
    auto res = chat("m");
    EXPECT_EQ(res.status(), 400);
    EXPECT_EQ(res.body(), R"({"error":{"type":"invalid_request_error","message":"bad"}})");
    EXPECT_EQ(exec->calls().size(), 1u);
}

TEST_F(Routing, ModelSupportErrorFallsThroughAndCoolsTwelveHours) {
    start(compat({"k1", "k2"}));
    exec->pushError(400, "model_not_supported");
    EXPECT_EQ(chat("m").status(), 200);
    ASSERT_EQ(exec->calls().size(), 2u);
    const std::string failed = exec->calls()[0].credentialId;
    auto st = service().pool().state(failed, "m");
    ASSERT_TRUE(st);
    EXPECT_EQ(*st->nextRetryAfter - clock->now(), hours(12));
}

TEST_F(Routing, MaxRetryCredentialsLimitsTheRound) {
    start(compat({"k1", "k2", "k3"}, R"("max-retry-credentials":2)"));
    exec->pushError(500, "first");
    exec->pushError(502, "second");
    auto res = chat("m");
    EXPECT_EQ(exec->calls().size(), 2u);
    EXPECT_EQ(res.status(), 502);
    EXPECT_EQ(res.body(),
              R"({"error":{"message":"second","type":"server_error","code":"internal_server_error"}})");
}

TEST_F(Routing, OuterRetryWaitsForQuotaBackoff) {
    start(compat({"k1"}, R"("request-retry":3,"max-retry-interval":30)"));
    exec->pushError(429, "slow");
    exec->pushError(429, "slow");
    auto res = chat("m");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(exec->calls().size(), 3u);
    EXPECT_EQ(clock->sleeps, (std::vector<milliseconds>{seconds(1), seconds(2)}));
}

TEST_F(Routing, OuterRetryWaitEndsWhenTheClientHangsUp) {
    start(compat({"k1"}, R"("request-retry":3,"max-retry-interval":30)"));
    exec->pushError(429, "slow");
    auto res = post("/v1/chat/completions", R"({"model":"m","stream":false})", ClientFormat::OpenAIChat, "", true);
    // One round, one (interrupted) wait, no second upstream call for nobody.
    EXPECT_EQ(exec->calls().size(), 1u);
    EXPECT_EQ(clock->sleeps, (std::vector<milliseconds>{seconds(1)}));
}

TEST_F(Routing, OuterRetryGivesUpAfterRequestRetryRounds) {
    start(compat({"k1"}, R"("request-retry":2,"max-retry-interval":30)"));
    for (int i = 0; i < 5; ++i) exec->pushError(429, "slow");
    auto res = chat("m");
    EXPECT_EQ(exec->calls().size(), 3u);
    EXPECT_EQ(res.status(), 429);
    EXPECT_EQ(res.bodyJson().find("error")->find("code")->asString(), "rate_limit_exceeded");
}

TEST_F(Routing, OuterRetryDoesNotWaitBeyondMaxInterval) {
    start(compat({"k1"}, R"("request-retry":3,"max-retry-interval":30)"));
    exec->pushError(503, "busy");  // 60 s cooldown > 30 s
    EXPECT_EQ(chat("m").status(), 503);
    EXPECT_EQ(exec->calls().size(), 1u);
    EXPECT_TRUE(clock->sleeps.empty());
}

TEST_F(Routing, NoRetryWithoutMaxRetryInterval) {
    start(compat({"k1"}, R"("request-retry":3)"));
    exec->pushError(429, "slow");
    EXPECT_EQ(chat("m").status(), 429);
    EXPECT_EQ(exec->calls().size(), 1u);
}

TEST_F(Routing, RetryAfterOn429IsWaitedWhenCoolingIsOff) {
    start(compat({"k1"}, R"("request-retry":1,"max-retry-interval":30,"disable-cooling":true)"));
    exec->pushError(429, "slow", seconds(7));
    EXPECT_EQ(chat("m").status(), 200);
    EXPECT_EQ(clock->sleeps, (std::vector<milliseconds>{seconds(7)}));
}

TEST_F(Routing, AllInQuotaCooldownIsModelCooldown429) {
    start(compat({"k1"}, R"("passthrough-headers":true)"));
    exec->pushError(429, "slow");
    EXPECT_EQ(chat("m").status(), 429);
    auto res = chat("m");
    EXPECT_EQ(res.status(), 429);
    EXPECT_EQ(res.body(),
              R"({"error":{"code":"model_cooldown","message":"All credentials for model m are cooling down via provider acme","model":"m","provider":"acme","reset_seconds":1,"reset_time":"1s"}})");
    EXPECT_EQ(res.header("Retry-After").value_or(""), "1");
    EXPECT_EQ(exec->calls().size(), 1u);
}

TEST_F(Routing, BlockedForOtherReasonIs503) {
    start(R"({"claude-api-key":[{"api-key":"ck","models":[{"name":"c"}]}]})");
    exec->pushError(401, "bad key");
    EXPECT_EQ(post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude).status(), 401);
    auto res = post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_EQ(res.status(), 503);
    EXPECT_EQ(res.bodyJson().find("error")->find("message")->asString(),
              "auth_unavailable: no auth available (providers=claude, model=c); check Claude auth/key session and "
              "cooldown state via /v0/management/auth-files");
}

TEST_F(Routing, DisableCoolingNeverBlocks) {
    start(compat({"k1"}, R"("disable-cooling":true)"));
    exec->pushError(429, "slow");
    EXPECT_EQ(chat("m").status(), 429);
    EXPECT_EQ(chat("m").status(), 200);
}

TEST_F(Routing, UpstreamTextIsWrappedUnlessJson) {
    start(compat({"k1", "k2"}));
    exec->pushError(403, "forbidden text");
    exec->pushError(404, "");
    auto res = chat("m");
    EXPECT_EQ(res.status(), 404);
    EXPECT_EQ(res.body(), R"({"error":{"message":"Not Found","type":"invalid_request_error","code":"model_not_found"}})");
}

}  // namespace
}  // namespace cpa::proxy::testing

namespace cpa::proxy::testing {
namespace {

TEST(SystemClockWait, StopsAtTheNextLookOnceAskedTo) {
    SystemClock clock;
    auto start = std::chrono::steady_clock::now();
    clock.sleepFor(std::chrono::seconds(30), [] { return true; });
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    int looks = 0;
    start = std::chrono::steady_clock::now();
    clock.sleepFor(std::chrono::milliseconds(1200), [&looks] { return ++looks > 5; });
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1200));  // never stopped: the whole wait
    EXPECT_EQ(looks, 2);  // once per second-long slice
}

}  // namespace
}  // namespace cpa::proxy::testing
