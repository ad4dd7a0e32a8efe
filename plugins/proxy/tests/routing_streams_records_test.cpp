// Routing of streams and keep-alives, reloads, request shapes and the records routing
// publishes (data-plane §4.2, §6.11, §8.1, §11), with a scripted executor.
#include "support/compat_config.hpp"
#include "support/proxy_fixture.hpp"

#include <set>
#include <stdexcept>

namespace cpa::proxy::testing {
namespace {

using namespace std::chrono;

class RoutingFlows : public ProxyFixture {};

TEST_F(RoutingFlows, EmptyStreamBecomes500) {
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

TEST_F(RoutingFlows, StreamCommitsThroughTheSink) {
    start(compat({"k1"}));
    exec->pushStream({"data: a\n\n", "data: [DONE]\n\n"});
    auto res = chat("m", true);
    EXPECT_TRUE(res.streaming());
    EXPECT_EQ(res.streamed(), "data: a\n\ndata: [DONE]\n\n");
    EXPECT_TRUE(exec->calls()[0].stream);
}

TEST_F(RoutingFlows, BootstrapRetriesRerunRoutingBeforeTheFirstByte) {
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

TEST_F(RoutingFlows, NoBootstrapRetryByDefault) {
    start(compat({"k1"}, R"("disable-cooling":true)"));
    exec->pushError(500, "cut");
    EXPECT_EQ(chat("m", true).status(), 500);
    EXPECT_EQ(exec->calls().size(), 1u);
}

TEST_F(RoutingFlows, AfterCommitAnErrorIsRecordedButNotRetried) {
    start(compat({"k1", "k2"}));
    exec->pushStream({"data: partial\n\n"}, false);
    auto res = chat("m", true);
    EXPECT_EQ(res.streamed(), "data: partial\n\n");
    EXPECT_EQ(exec->calls().size(), 1u);
    EXPECT_EQ(service().pool().counters(exec->calls()[0].credentialId).failed, 1);
}

/// An attempt that writes one non-stream keep-alive newline, then ends with `result` (data-plane.md §8.1).
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

TEST_F(RoutingFlows, NonStreamKeepaliveDoesNotStopFailover) {
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

TEST_F(RoutingFlows, NonStreamKeepaliveThenAllFailAppendsTheFinalError) {
    start(kTwoClaudeKeys);
    exec->push(keepaliveThen(upstreamError(500, "first down")));
    exec->pushError(429, "second busy");  // fails without writing: the sink already holds a newline
    auto res = post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_EQ(exec->calls().size(), 2u);
    EXPECT_EQ(res.status(), 200);  // committed by the newline
    EXPECT_EQ(res.streamed(),
              "\n" R"({"error":{"message":"second busy","type":"rate_limit_error","code":"rate_limit_exceeded"}})");
}

TEST_F(RoutingFlows, NonStreamKeepaliveThenExecutorThrowIsNotACommit) {
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

TEST_F(RoutingFlows, NonStreamKeepaliveThenRequestInvalidStops) {
    start(kTwoClaudeKeys);
    exec->push(keepaliveThen(upstreamError(400, R"({"error":{"type":"invalid_request_error","message":"bad"}})")));
    auto res = post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_EQ(exec->calls().size(), 1u);
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.streamed(), "\n" R"({"error":{"type":"invalid_request_error","message":"bad"}})");
}

TEST_F(RoutingFlows, ReloadKeepsStateOfUnchangedCredentials) {
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

TEST_F(RoutingFlows, ReloadReplacesChangedAndDisablesRemoved) {
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

TEST_F(RoutingFlows, StrategyChangeOnReload) {
    start(compat({"k1", "k2"}));
    chat("m");
    chat("m");
    EXPECT_NE(exec->calls()[0].credentialId, exec->calls()[1].credentialId);
    reloadConfig(compat({"k1", "k2"}, R"("routing":{"strategy":"fill-first"})"));
    chat("m");
    chat("m");
    EXPECT_EQ(exec->calls()[2].credentialId, exec->calls()[3].credentialId);
}

TEST_F(RoutingFlows, ClientRequestShapes) {
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

TEST_F(RoutingFlows, AutoPicksTheNewestListedModel) {
    start(R"({"claude-api-key":[{"api-key":"c"}]})");  // the catalogue's claude section
    post("/v1/messages", R"({"model":"auto"})", ClientFormat::Claude);
    ASSERT_EQ(exec->calls().size(), 1u);
    std::int64_t newest = 0;
    std::string newestId;
    for (const auto& m : service().registry().listed(clock->now()))
        if (m.find("created")->intOr(0) > newest) newest = m.find("created")->intOr(0), newestId = m.find("id")->asString();
    EXPECT_EQ(exec->calls()[0].upstreamModel, newestId);
}

TEST_F(RoutingFlows, OneUsageRecordPerAttemptAndOneCompletedRecord) {
    start(compat({"k1", "k2"}));
    principal = "client-secret";
    exec->pushError(500, "down");
    EXPECT_EQ(chat("m(high)").status(), 200);
    const auto usage = published(sdk::kTopicUsageRecord);
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
    const auto done = published(sdk::kTopicRequestCompleted);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].find("status")->asInt(), 200);
    EXPECT_EQ(done[0].find("path")->asString(), "/v1/chat/completions");
    EXPECT_EQ(done[0].find("attempts")->size(), 2u);
    EXPECT_EQ(done[0].find("attempts")->asArray()[0].find("auth")->find("label")->asString(), "Acme");
    EXPECT_EQ(done[0].find("response_body")->asString(), R"({"ok":true})");
}

TEST_F(RoutingFlows, CompletedRecordForRoutingErrors) {
    start(compat({"k1"}));
    chat("unknown");
    const auto done = published(sdk::kTopicRequestCompleted);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].find("status")->asInt(), 502);
    EXPECT_EQ(done[0].find("attempts")->size(), 0u);
    EXPECT_TRUE(published(sdk::kTopicUsageRecord).empty());
}

}  // namespace
}  // namespace cpa::proxy::testing
