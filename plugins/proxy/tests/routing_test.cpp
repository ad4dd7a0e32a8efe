// Routing rules of data-plane §6 through the service with a scripted executor.
#include "support/proxy_fixture.hpp"

#include <set>
#include <stdexcept>

namespace cpa::proxy::testing {
namespace {

using namespace std::chrono;

/// One OpenAI-compatible provider "acme" with `keys` and model alias "m" → "up-m".
std::string compat(const std::vector<std::string>& keys, const std::string& extra = "",
                   const std::string& models = R"([{"name":"up-m","alias":"m"}])") {
    std::string entries;
    for (const auto& k : keys) entries += (entries.empty() ? "" : ",") + std::string(R"({"api-key":")") + k + "\"}";
    return R"({"openai-compatibility":[{"name":"Acme","base-url":"http://127.0.0.1:1","api-key-entries":[)" +
           entries + R"(],"models":)" + models + "}]" + (extra.empty() ? "" : "," + extra) + "}";
}

class Routing : public ProxyFixture {};

TEST_F(Routing, UnknownModelIs502) {
    start(compat({"k1"}));
    auto res = chat("nope");
    EXPECT_EQ(res.status(), 502);
    EXPECT_EQ(res.body(),
              R"({"error":{"message":"unknown provider for model nope","type":"server_error","code":"internal_server_error"}})");
    EXPECT_TRUE(exec->calls().empty());
}

TEST_F(Routing, OtherFormatFamilyIs502) {
    start(R"({"claude-api-key":[{"api-key":"ck","models":[{"name":"claude-real","alias":"cl"}]}]})");
    auto res = chat("cl");
    EXPECT_EQ(res.status(), 502);
    EXPECT_EQ(res.bodyJson().find("error")->find("message")->asString(),
              "model cl is not available for this endpoint (format translation not supported)");
    res = post("/v1/messages", R"({"model":"cl"})", ClientFormat::Claude);
    EXPECT_EQ(res.status(), 200);
    ASSERT_EQ(exec->calls().size(), 1u);
    EXPECT_EQ(exec->calls()[0].upstreamModel, "claude-real");
    EXPECT_FALSE(exec->calls()[0].stream);
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

TEST_F(Routing, EmptyStreamBecomes500) {
    start(compat({"k1"}));
    ExecResult r;
    r.errorCode = "empty_stream";
    r.errorMessage = "upstream stream closed before first payload";
    exec->pushResult(r);
    auto res = chat("m", true);
    EXPECT_EQ(res.status(), 500);
    EXPECT_EQ(res.bodyJson().find("error")->find("message")->asString(),
              "empty_stream: upstream stream closed before first payload");
}

TEST_F(Routing, StreamCommitsThroughTheSink) {
    start(compat({"k1"}));
    exec->pushStream({"data: a\n\n", "data: [DONE]\n\n"});
    auto res = chat("m", true);
    EXPECT_TRUE(res.streaming());
    EXPECT_EQ(res.streamed(), "data: a\n\ndata: [DONE]\n\n");
    EXPECT_TRUE(exec->calls()[0].stream);
}

TEST_F(Routing, BootstrapRetriesRerunRoutingBeforeTheFirstByte) {
    start(compat({"k1"}, R"("disable-cooling":true,"streaming":{"bootstrap-retries":1})"));
    exec->pushError(500, "cut before first chunk");
    exec->pushStream({"data: ok\n\n"});
    auto res = chat("m", true);
    EXPECT_EQ(res.streamed(), "data: ok\n\n");
    EXPECT_EQ(exec->calls().size(), 2u);
    // Not for a non-retryable status, and not without the setting.
    exec->pushError(400, "bad");
    EXPECT_EQ(chat("m", true).status(), 400);
    EXPECT_EQ(exec->calls().size(), 3u);
}

TEST_F(Routing, NoBootstrapRetryByDefault) {
    start(compat({"k1"}, R"("disable-cooling":true)"));
    exec->pushError(500, "cut");
    EXPECT_EQ(chat("m", true).status(), 500);
    EXPECT_EQ(exec->calls().size(), 1u);
}

TEST_F(Routing, AfterCommitAnErrorIsRecordedButNotRetried) {
    start(compat({"k1", "k2"}));
    exec->pushStream({"data: partial\n\n"}, false);
    auto res = chat("m", true);
    EXPECT_EQ(res.streamed(), "data: partial\n\n");
    EXPECT_EQ(exec->calls().size(), 1u);
    EXPECT_EQ(service().pool().counters(exec->calls()[0].credentialId).failed, 1);
}

/// An attempt that writes one non-stream keep-alive newline, then ends with `result` (§8.1).
ScriptedExecutor::Step keepaliveThen(ExecResult result) {
    return [result](const ExecRequest&, ClientSink& sink) {
        if (!sink.begun()) sink.begin(200, {{"Content-Type", "application/json"}});
        sink.write("\n");
        ExecResult r = result;
        r.keepalivesSent = true;
        return r;
    };
}

ExecResult upstreamError(int status, std::string body) {
    ExecResult r;
    r.status = status;
    r.errorBody = std::move(body);
    return r;
}

const std::string kTwoClaudeKeys =
    R"({"claude-api-key":[{"api-key":"c1","models":[{"name":"c"}]},{"api-key":"c2","models":[{"name":"c"}]}],)"
    R"("nonstream-keepalive-interval":1})";

TEST_F(Routing, NonStreamKeepaliveDoesNotStopFailover) {
    start(kTwoClaudeKeys);
    exec->push(keepaliveThen(upstreamError(500, "first down")));
    exec->push(keepaliveThen(ScriptedExecutor::ok(R"({"id":"msg_2"})")));
    auto res = post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    ASSERT_EQ(exec->calls().size(), 2u);  // the second credential was tried after the newline
    EXPECT_NE(exec->calls()[0].credentialId, exec->calls()[1].credentialId);
    EXPECT_EQ(res.status(), 200);
    EXPECT_TRUE(res.streaming());
    EXPECT_EQ(res.streamed(), "\n\n{\"id\":\"msg_2\"}");
    EXPECT_EQ(service().pool().counters(exec->calls()[0].credentialId).failed, 1);
    EXPECT_EQ(service().pool().counters(exec->calls()[1].credentialId).success, 1);
}

TEST_F(Routing, NonStreamKeepaliveThenAllFailAppendsTheFinalError) {
    start(kTwoClaudeKeys);
    exec->push(keepaliveThen(upstreamError(500, "first down")));
    exec->pushError(429, "second busy");  // fails without writing: the sink already holds a newline
    auto res = post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_EQ(exec->calls().size(), 2u);
    EXPECT_EQ(res.status(), 200);  // committed by the newline
    EXPECT_EQ(res.streamed(),
              "\n" R"({"error":{"message":"second busy","type":"rate_limit_error","code":"rate_limit_exceeded"}})");
}

TEST_F(Routing, NonStreamKeepaliveThenExecutorThrowIsNotACommit) {
    start(kTwoClaudeKeys);
    exec->push([](const ExecRequest&, ClientSink& sink) -> ExecResult {
        sink.begin(200, {{"Content-Type", "application/json"}});
        sink.write("\n");
        throw std::runtime_error("boom");
    });
    exec->pushOk(R"({"id":"msg_2"})");
    auto res = post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_EQ(exec->calls().size(), 2u);
    EXPECT_EQ(res.streamed(), "\n" R"({"id":"msg_2"})");
}

TEST_F(Routing, NonStreamKeepaliveThenRequestInvalidStops) {
    start(kTwoClaudeKeys);
    exec->push(keepaliveThen(upstreamError(400, R"({"error":{"type":"invalid_request_error","message":"bad"}})")));
    auto res = post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_EQ(exec->calls().size(), 1u);
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.streamed(), "\n" R"({"error":{"type":"invalid_request_error","message":"bad"}})");
}

TEST_F(Routing, ReloadKeepsStateOfUnchangedCredentials) {
    const std::string two = compat({"k1", "k2"});
    start(two);
    exec->pushError(401, "bad");
    chat("m");  // first credential cools down 30 min, second answers
    const std::string cooled = exec->calls()[0].credentialId;
    ASSERT_TRUE(service().pool().state(cooled, "m"));
    // An unrelated change (a new setting): state kept.
    reloadConfig(compat({"k1", "k2"}, R"("passthrough-headers":true)"));
    EXPECT_TRUE(service().pool().state(cooled, "m"));
    for (int i = 0; i < 3; ++i) chat("m");
    for (std::size_t i = 2; i < exec->calls().size(); ++i) EXPECT_NE(exec->calls()[i].credentialId, cooled);
    // A retry setting change re-applies every credential: state cleared.
    reloadConfig(compat({"k1", "k2"}, R"("request-retry":1)"));
    EXPECT_FALSE(service().pool().state(cooled, "m"));
    EXPECT_EQ(service().pool().counters(cooled).failed, 1);  // counters survive replacement
}

TEST_F(Routing, ReloadReplacesChangedAndDisablesRemoved) {
    start(R"({"claude-api-key":[{"api-key":"a","models":[{"name":"c"}]},{"api-key":"b","models":[{"name":"c"}]}]})");
    const std::string a = idOf("a"), b = idOf("b");
    exec->pushError(401, "x");
    exec->pushError(401, "x");
    post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    ASSERT_TRUE(service().pool().state(a, "c"));
    ASSERT_TRUE(service().pool().state(b, "c"));
    // b's headers change (replaced, fresh state); a is untouched; a new key c arrives.
    reloadConfig(R"({"claude-api-key":[{"api-key":"a","models":[{"name":"c"}]},{"api-key":"b","headers":{"X-T":"1"},"models":[{"name":"c"}]}]})");
    EXPECT_TRUE(service().pool().state(a, "c"));
    EXPECT_FALSE(service().pool().state(b, "c"));
    // a removed: disabled, never picked, counters kept.
    reloadConfig(R"({"claude-api-key":[{"api-key":"b","headers":{"X-T":"1"},"models":[{"name":"c"}]}]})");
    EXPECT_TRUE(service().pool().counters(a).disabled);
    EXPECT_EQ(service().pool().counters(a).failed, 1);
    clock->advance(hours(1));
    for (int i = 0; i < 3; ++i) post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    for (std::size_t i = 2; i < exec->calls().size(); ++i) EXPECT_EQ(exec->calls()[i].credentialId, b);
}

TEST_F(Routing, StrategyChangeOnReload) {
    start(compat({"k1", "k2"}));
    chat("m");
    chat("m");
    EXPECT_NE(exec->calls()[0].credentialId, exec->calls()[1].credentialId);
    reloadConfig(compat({"k1", "k2"}, R"("routing":{"strategy":"fill-first"})"));
    chat("m");
    chat("m");
    EXPECT_EQ(exec->calls()[2].credentialId, exec->calls()[3].credentialId);
}

TEST_F(Routing, ClientRequestShapes) {
    start(R"({"codex-api-key":[{"api-key":"x","base-url":"http://127.0.0.1:1"}],
              "claude-api-key":[{"api-key":"c","models":[{"name":"c"}]}],
              "gemini-api-key":[{"api-key":"g","models":[{"name":"gm"}]}]})");
    auto res = post("/v1/responses/compact", R"({"model":"gpt-5.2","stream":true})", ClientFormat::ResponsesCompact);
    EXPECT_EQ(res.status(), 400);
    EXPECT_EQ(res.body(),
              R"({"error":{"message":"Streaming not supported for compact responses","type":"invalid_request_error"}})");
    EXPECT_EQ(post("/v1/responses/compact", R"({"model":"gpt-5.2","stream":false})", ClientFormat::ResponsesCompact).status(), 200);
    EXPECT_EQ(exec->calls().back().body, R"({"model":"gpt-5.2"})");
    res = post("/v1/responses", R"({"model":"gpt-image-2"})", ClientFormat::Responses);
    EXPECT_EQ(res.status(), 503);
    // Claude: anything but absent/false streams.
    post("/v1/messages", R"({"model":"c","stream":null})", ClientFormat::Claude);
    EXPECT_TRUE(exec->calls().back().stream);
    post("/v1/messages", R"({"model":"c","stream":false})", ClientFormat::Claude);
    EXPECT_FALSE(exec->calls().back().stream);
    // Gemini paths.
    res = post("/v1beta/models/gm", "{}", ClientFormat::Gemini);
    EXPECT_EQ(res.status(), 404);
    EXPECT_EQ(res.body(), R"({"error":{"message":"/v1beta/models/gm not found.","type":"invalid_request_error"}})");
    const auto calls = exec->calls().size();
    res = post("/v1beta/models/gm:embedContent", "{}", ClientFormat::Gemini);
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.body(), "");
    EXPECT_EQ(exec->calls().size(), calls);
    post("/v1beta/models/gm:streamGenerateContent?alt=sse", "{}", ClientFormat::Gemini);
    EXPECT_TRUE(exec->calls().back().stream);
    EXPECT_EQ(exec->calls().back().upstreamModel, "gm");
}

TEST_F(Routing, AutoPicksTheNewestListedModel) {
    start(R"({"claude-api-key":[{"api-key":"c"}]})");  // the catalogue's claude section
    post("/v1/messages", R"({"model":"auto"})", ClientFormat::Claude);
    ASSERT_EQ(exec->calls().size(), 1u);
    std::int64_t newest = 0;
    std::string newestId;
    for (const auto& m : service().registry().listed(clock->now()))
        if (m.find("created")->intOr(0) > newest) newest = m.find("created")->intOr(0), newestId = m.find("id")->asString();
    EXPECT_EQ(exec->calls()[0].upstreamModel, newestId);
}

TEST_F(Routing, OneUsageRecordPerAttemptAndOneCompletedRecord) {
    start(compat({"k1", "k2"}));
    principal = "client-secret";
    exec->pushError(500, "down");
    EXPECT_EQ(chat("m(high)").status(), 200);
    const auto usage = published("usage.record");
    ASSERT_EQ(usage.size(), 2u);
    EXPECT_TRUE(usage[0].find("failed")->asBool());
    EXPECT_FALSE(usage[1].find("failed")->asBool());
    const sdk::Value& ok = usage[1];
    EXPECT_EQ(ok.find("provider")->asString(), "acme");
    EXPECT_EQ(ok.find("model")->asString(), "up-m");  // upstream name, suffix removed
    EXPECT_EQ(ok.find("api_key")->asString(), "client-secret");
    EXPECT_EQ(ok.find("endpoint")->asString(), "POST /v1/chat/completions");
    EXPECT_EQ(ok.find("auth_type")->asString(), "apikey");
    EXPECT_EQ(ok.find("source")->asString(), keyOf(ok.find("auth_id")->asString()));
    EXPECT_EQ(ok.find("auth_index")->asString().size(), 16u);
    EXPECT_EQ(ok.find("request_id")->asString(), "req-1");
    EXPECT_EQ(ok.find("tokens")->find("total_tokens")->asInt(), 7);
    EXPECT_FALSE(ok.find("requested_at")->asString().empty());
    const auto done = published("request.completed");
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].find("status")->asInt(), 200);
    EXPECT_EQ(done[0].find("path")->asString(), "/v1/chat/completions");
    EXPECT_EQ(done[0].find("attempts")->size(), 2u);
    EXPECT_EQ(done[0].find("attempts")->asArray()[0].find("auth")->find("label")->asString(), "Acme");
    EXPECT_EQ(done[0].find("response_body")->asString(), R"({"ok":true})");
}

TEST_F(Routing, CompletedRecordForRoutingErrors) {
    start(compat({"k1"}));
    chat("unknown");
    const auto done = published("request.completed");
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].find("status")->asInt(), 502);
    EXPECT_EQ(done[0].find("attempts")->size(), 0u);
    EXPECT_TRUE(published("usage.record").empty());
}

}  // namespace
}  // namespace cpa::proxy::testing
