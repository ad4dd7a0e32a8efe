// Records are built only for topics somebody subscribes to (Events::hasSubscribers,
// SDK 1.2), asked per request / per attempt so modules loaded later are honoured.
#include "provider_keys_module.hpp"
#include "http/unserved_recorder.hpp"
#include "proxy_service.hpp"
#include "support/compat_config.hpp"
#include "support/routing_fakes.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <set>

namespace cpa::proxy::testing {
namespace {

/// FakeEvents that records publications but answers hasSubscribers from a set.
class GatedEvents final : public sdk::testing::FakeEvents {
public:
    bool hasSubscribers(std::string_view topic) const override {
        std::lock_guard lock(mutex_);
        return listening_.count(std::string(topic)) > 0;
    }
    void listen(std::set<std::string> topics) {
        std::lock_guard lock(mutex_);
        listening_ = std::move(topics);
    }

private:
    mutable std::mutex mutex_;
    std::set<std::string> listening_;
};

class RecordsBySubscribers : public ::testing::Test {
protected:
    void SetUp() override {
        ctx = std::make_unique<sdk::testing::FakeContext>(sdk::parseJson(compat({"k1", "k2"})));
        auto ex = std::make_unique<ScriptedExecutor>();
        exec = ex.get();
        keys.configure(*ctx);  // contributes the config's credentials
        service = std::make_unique<ProxyService>(ctx->config(), *ctx->services().get(sdk::kCredentialSourcesService),
                                                 events, ctx->logger(), std::move(ex), std::make_shared<FakeClock>());
        service->reload(ctx->config().snapshot());
    }

    sdk::testing::FakeResponse chat(bool stream = false) {
        sdk::testing::FakeRequest req(sdk::Method::Post, "/v1/chat/completions",
                                      std::string(R"({"model":"m","stream":)") + (stream ? "true" : "false") + "}");
        req.setRoutePattern("/v1/chat/completions");
        req.setRequestId("req-1");
        req.setAccess(sdk::Access::ClientKey);
        sdk::testing::FakeResponse res;
        service->handleGeneration(req, res, ClientFormat::OpenAIChat);
        return res;
    }

    /// Queues a successful attempt that notes whether the executor was asked for its log.
    void pushOkNotingLog(std::vector<bool>& seen) {
        exec->push([&seen](const ExecRequest& r, ClientSink&) {
            seen.push_back(r.recordLog);
            ExecResult ok = ScriptedExecutor::ok();
            ok.log.url = "http://upstream/v1/chat/completions";
            return ok;
        });
    }

    GatedEvents events;
    std::unique_ptr<sdk::testing::FakeContext> ctx;
    provider_keys::ProviderKeysModule keys;
    ScriptedExecutor* exec = nullptr;
    std::unique_ptr<ProxyService> service;
};

TEST_F(RecordsBySubscribers, NothingIsPublishedOrLoggedWithoutSubscribers) {
    std::vector<bool> recordLog;
    pushOkNotingLog(recordLog);
    EXPECT_EQ(chat().status(), 200);
    EXPECT_TRUE(events.published().empty());
    EXPECT_EQ(recordLog, std::vector<bool>{false});
}

TEST_F(RecordsBySubscribers, UsageSubscriberAloneGetsOnlyUsageRecords) {
    events.listen({std::string(sdk::kTopicUsageRecord)});
    exec->pushError(500, "down");  // two attempts: one usage record each
    std::vector<bool> recordLog;
    pushOkNotingLog(recordLog);
    EXPECT_EQ(chat().status(), 200);
    EXPECT_EQ(events.publishedOn(sdk::kTopicUsageRecord).size(), 2u);
    EXPECT_TRUE(events.publishedOn(sdk::kTopicRequestCompleted).empty());
    EXPECT_EQ(recordLog, std::vector<bool>{false});
}

TEST_F(RecordsBySubscribers, AskedAgainForEveryRequest) {
    std::vector<bool> recordLog;
    pushOkNotingLog(recordLog);
    chat();
    events.listen({std::string(sdk::kTopicUsageRecord), std::string(sdk::kTopicRequestCompleted)});  // e.g. the logs and usage modules loaded by a reload
    pushOkNotingLog(recordLog);
    EXPECT_EQ(chat().status(), 200);
    const auto done = events.publishedOn(sdk::kTopicRequestCompleted);
    ASSERT_EQ(done.size(), 1u);
    ASSERT_EQ(done[0].find("attempts")->size(), 1u);
    EXPECT_EQ(done[0].find("attempts")->asArray()[0].find("url")->asString(), "http://upstream/v1/chat/completions");
    EXPECT_EQ(events.publishedOn(sdk::kTopicUsageRecord).size(), 1u);
    events.listen({});  // and unloaded again
    pushOkNotingLog(recordLog);
    chat();
    EXPECT_EQ(events.published().size(), 2u);
    EXPECT_EQ(recordLog, (std::vector<bool>{false, true, false}));
}

TEST_F(RecordsBySubscribers, StreamedBodyIsCapturedOnlyForARecord) {
    exec->pushStream({"data: a\n\n", "data: [DONE]\n\n"});
    auto quiet = chat(true);
    EXPECT_EQ(quiet.streamed(), "data: a\n\ndata: [DONE]\n\n");  // the client sees the same stream
    EXPECT_TRUE(events.published().empty());
    events.listen({std::string(sdk::kTopicRequestCompleted)});
    exec->pushStream({"data: a\n\n", "data: [DONE]\n\n"});
    auto logged = chat(true);
    EXPECT_EQ(logged.streamed(), "data: a\n\ndata: [DONE]\n\n");
    const auto done = events.publishedOn(sdk::kTopicRequestCompleted);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].find("response_body")->asString(), "data: a\n\ndata: [DONE]\n\n");
}

TEST_F(RecordsBySubscribers, AFailuresOnlySubscriberGetsFailedRequestsAndNothingIsCaptured) {
    // The error-only request log: request.failed alone.
    events.listen({std::string(sdk::kTopicRequestFailed)});
    std::vector<bool> recordLog;
    pushOkNotingLog(recordLog);
    EXPECT_EQ(chat().status(), 200);
    exec->pushStream({"data: a\n\n", "data: [DONE]\n\n"});
    EXPECT_EQ(chat(true).status(), 200);
    EXPECT_TRUE(events.published().empty()) << "a success builds no record";

    exec->pushError(400, R"({"error":{"message":"bad"}})");  // each credential in turn
    exec->pushError(400, R"({"error":{"message":"bad"}})");
    EXPECT_EQ(chat().status(), 400);
    const auto failed = events.publishedOn(sdk::kTopicRequestFailed);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].find("status")->asInt(), 400);
    EXPECT_EQ(failed[0].find("request_id")->asString(), "req-1");
    EXPECT_TRUE(failed[0].find("attempts")->asArray().empty()) << "no attempt log is taken for it";
    EXPECT_TRUE(events.publishedOn(sdk::kTopicRequestCompleted).empty());
    EXPECT_EQ(recordLog, std::vector<bool>{false});

    // Both topics listened to: one record, published on each.
    events.listen({std::string(sdk::kTopicRequestFailed), std::string(sdk::kTopicRequestCompleted)});
    exec->pushError(400, R"({"error":{"message":"bad"}})");
    exec->pushError(400, R"({"error":{"message":"bad"}})");
    EXPECT_EQ(chat().status(), 400);
    EXPECT_EQ(events.publishedOn(sdk::kTopicRequestFailed).size(), 2u);
    EXPECT_EQ(events.publishedOn(sdk::kTopicRequestCompleted).size(), 1u);
}

TEST_F(RecordsBySubscribers, TheUnservedRecorderRecordsOnlyWhatTheHandlerDidNotServe) {
    events.listen({std::string(sdk::kTopicRequestCompleted)});
    UnservedRecorder recorder(*service, {"/v1/chat/completions"});
    auto asGeneration = [](sdk::testing::FakeRequest& req, const char* id) {
        req.setRoutePattern("/v1/chat/completions");
        req.setRequestId(id);
        req.setAccess(sdk::Access::ClientKey);
    };

    // Served: the handler marks the request and publishes its own record; onComplete adds none.
    exec->pushOk();
    sdk::testing::FakeRequest served(sdk::Method::Post, "/v1/chat/completions", R"({"model":"m"})");
    asGeneration(served, "served");
    sdk::testing::FakeResponse servedRes;
    service->handleGeneration(served, servedRes, ClientFormat::OpenAIChat);
    ASSERT_EQ(servedRes.status(), 200);
    const sdk::Value* mark = served.attribute(ProxyService::kHandledAttribute);
    ASSERT_TRUE(mark);
    EXPECT_TRUE(mark->isBool() && mark->asBool());
    recorder.onComplete(served, servedRes);
    ASSERT_EQ(events.publishedOn(sdk::kTopicRequestCompleted).size(), 1u);

    // Refused before the handler ran (the client-key guard's 401), on the same
    // thread right after: no mark, so the recorder publishes its record.
    sdk::testing::FakeRequest denied(sdk::Method::Post, "/v1/chat/completions", R"({"model":"m"})");
    asGeneration(denied, "denied");
    sdk::testing::FakeResponse deniedRes;
    deniedRes.setStatus(401);
    EXPECT_FALSE(denied.attribute(ProxyService::kHandledAttribute));
    recorder.onComplete(denied, deniedRes);
    auto done = events.publishedOn(sdk::kTopicRequestCompleted);
    ASSERT_EQ(done.size(), 2u);
    EXPECT_EQ(done[1].find("status")->asInt(), 401);

    // Another module's route and GET requests are not the data plane's to record.
    sdk::testing::FakeRequest other(sdk::Method::Post, "/v0/management/api-call", "{}");
    other.setRoutePattern("/v0/management/api-call");
    recorder.onComplete(other, deniedRes);
    sdk::testing::FakeRequest get(sdk::Method::Get, "/v1/chat/completions");
    get.setRoutePattern("/v1/chat/completions");
    recorder.onComplete(get, deniedRes);
    EXPECT_EQ(events.publishedOn(sdk::kTopicRequestCompleted).size(), 2u);
}

}  // namespace
}  // namespace cpa::proxy::testing
