#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/testing/fake_router.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

using cpa::sdk::Access;
using cpa::sdk::HttpError;
using cpa::sdk::Method;
using cpa::sdk::Middleware;
using cpa::sdk::Next;
using cpa::sdk::Phase;
using cpa::sdk::Request;
using cpa::sdk::Response;
using cpa::sdk::Value;
using cpa::sdk::testing::FakeRequest;
using cpa::sdk::testing::FakeResponse;
using cpa::sdk::testing::FakeRouter;

namespace {

/// Records its name into a shared trace; can stop the chain.
class TraceMiddleware : public Middleware {
public:
    TraceMiddleware(std::string name, std::vector<std::string>& trace, bool stop = false)
        : name_(std::move(name)), trace_(trace), stop_(stop) {}
    Next onRequest(Request& req, Response& res) override {
        trace_.push_back(name_);
        req.setAttribute("seen-by-" + name_, true);
        if (stop_) {
            res.json(429, Value::object({{"error", "stopped by " + name_}}));
            return Next::Stop;
        }
        return Next::Continue;
    }
    void onComplete(const Request&, const Response& res) noexcept override {
        trace_.push_back(name_ + ".done:" + std::to_string(res.status()));
    }

private:
    std::string name_;
    std::vector<std::string>& trace_;
    bool stop_;
};

void echoParams(Request& req, Response& res) {
    res.json(200, Value::object({{"pattern", req.routePattern()}, {"name", req.param("name")}, {"id", req.param("id")}}));
}

}  // namespace

TEST(FakeRouter, RecordsRoutesAndRefusesDuplicates) {
    FakeRouter router;
    router.route(Method::Get, "/v0/management/x", Access::Management, echoParams);
    router.route(Method::Put, "/v0/management/x", Access::Management, echoParams);
    EXPECT_EQ(router.routes().size(), 2u);
    EXPECT_TRUE(router.has(Method::Get, "/v0/management/x"));
    EXPECT_FALSE(router.has(Method::Delete, "/v0/management/x"));
    EXPECT_EQ(router.find(Method::Put, "/v0/management/x")->access, Access::Management);
    EXPECT_THROW(router.route(Method::Get, "/v0/management/x", Access::Public, echoParams), std::logic_error);
    EXPECT_THROW(router.route(Method::Get, "no-slash", Access::Public, echoParams), std::logic_error);
    EXPECT_THROW(router.route(Method::Get, "/a/:", Access::Public, echoParams), std::logic_error);
    EXPECT_THROW(router.route(Method::Get, "/nohandler", Access::Public, nullptr), std::logic_error);
    EXPECT_THROW(router.use(Phase::AfterAccess, 0, nullptr), std::logic_error);
}

TEST(FakeRouter, FreezeRefusesLateRegistration) {
    FakeRouter router;
    router.freeze();
    EXPECT_TRUE(router.frozen());
    EXPECT_THROW(router.route(Method::Get, "/late", Access::Public, echoParams), std::logic_error);
    std::vector<std::string> trace;
    EXPECT_THROW(router.use(Phase::BeforeAccess, 0, std::make_shared<TraceMiddleware>("m", trace)),
                 std::logic_error);
}

TEST(FakeRouter, DispatchFillsParamsPatternAndAccess) {
    FakeRouter router;
    router.route(Method::Get, "/v0/management/auth-files/:name", Access::Management, echoParams);
    router.route(Method::Get, "/v0/management/items/:id/sub/:name", Access::Public, echoParams);

    FakeRequest req(Method::Get, "/v0/management/auth-files/my%20file.json?x=1");
    FakeResponse res = router.dispatch(req);
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.bodyJson(), Value::object({{"pattern", "/v0/management/auth-files/:name"},
                                             {"name", "my file.json"},
                                             {"id", ""}}));
    EXPECT_EQ(req.access(), Access::Management);
    EXPECT_EQ(req.routePattern(), "/v0/management/auth-files/:name");

    FakeResponse two = router.call(Method::Get, "/v0/management/items/7/sub/abc");
    EXPECT_EQ(two.bodyJson().find("id")->asString(), "7");
    EXPECT_EQ(two.bodyJson().find("name")->asString(), "abc");
}

TEST(FakeRouter, NoMatchIs404) {
    FakeRouter router;
    router.route(Method::Get, "/a/:name", Access::Public, echoParams);
    EXPECT_EQ(router.call(Method::Get, "/a").status(), 404);
    EXPECT_EQ(router.call(Method::Get, "/a/").status(), 404);  // an empty segment is no parameter
    EXPECT_EQ(router.call(Method::Get, "/a/b/c").status(), 404);
    EXPECT_EQ(router.call(Method::Post, "/a/b").status(), 404);  // method must match too
    FakeRequest req(Method::Get, "/nothing");
    FakeResponse res;
    EXPECT_FALSE(router.dispatch(req, res));
    EXPECT_EQ(res.body(), "404 page not found");
}

TEST(FakeRouter, StaticSegmentsBeatParameters) {
    FakeRouter router;
    router.route(Method::Get, "/files/:name", Access::Public,
                 [](Request&, Response& res) { res.text(200, "param"); });
    router.route(Method::Get, "/files/special", Access::Public,
                 [](Request&, Response& res) { res.text(200, "static"); });
    router.route(Method::Get, "/:any/other", Access::Public,
                 [](Request&, Response& res) { res.text(200, "late-static"); });
    EXPECT_EQ(router.call(Method::Get, "/files/special").body(), "static");
    EXPECT_EQ(router.call(Method::Get, "/files/x").body(), "param");
    EXPECT_EQ(router.call(Method::Get, "/files/other").body(), "param");  // leftmost static wins
    EXPECT_EQ(router.call(Method::Get, "/x/other").body(), "late-static");
}

TEST(FakeRouter, MiddlewareRunsByPhaseThenOrderThenRegistration) {
    FakeRouter router;
    std::vector<std::string> trace;
    router.use(Phase::AfterAccess, 1, std::make_shared<TraceMiddleware>("after1", trace));
    router.use(Phase::BeforeAccess, 5, std::make_shared<TraceMiddleware>("before5", trace));
    router.use(Phase::AfterAccess, 0, std::make_shared<TraceMiddleware>("after0", trace));
    router.use(Phase::BeforeAccess, 5, std::make_shared<TraceMiddleware>("before5b", trace));
    router.use(Phase::BeforeAccess, -1, std::make_shared<TraceMiddleware>("before-1", trace));
    router.setAccessCheck([&](Request&, Response&) {
        trace.push_back("access");
        return true;
    });
    router.route(Method::Get, "/x", Access::Management, [&](Request& req, Response& res) {
        trace.push_back("handler");
        EXPECT_NE(req.attribute("seen-by-after1"), nullptr);
        res.noContent(204);
    });
    EXPECT_EQ(router.middleware().size(), 5u);
    EXPECT_EQ(router.call(Method::Get, "/x").status(), 204);
    EXPECT_EQ(trace, (std::vector<std::string>{"before-1", "before5", "before5b", "access", "after0", "after1",
                                               "handler", "before-1.done:204", "before5.done:204",
                                               "before5b.done:204", "after0.done:204", "after1.done:204"}));
}

TEST(FakeRouter, StopEndsTheChainButCompletesWhatRan) {
    FakeRouter router;
    std::vector<std::string> trace;
    router.use(Phase::BeforeAccess, 0, std::make_shared<TraceMiddleware>("first", trace));
    router.use(Phase::BeforeAccess, 1, std::make_shared<TraceMiddleware>("stopper", trace, true));
    router.use(Phase::AfterAccess, 0, std::make_shared<TraceMiddleware>("never", trace));
    bool handled = false;
    router.route(Method::Get, "/x", Access::Public, [&](Request&, Response&) { handled = true; });
    FakeResponse res = router.call(Method::Get, "/x");
    EXPECT_FALSE(handled);
    EXPECT_EQ(res.status(), 429);
    EXPECT_EQ(trace, (std::vector<std::string>{"first", "stopper", "first.done:429", "stopper.done:429"}));
}

TEST(FakeRouter, AccessCheckCanRefuse) {
    FakeRouter router;
    std::vector<std::string> trace;
    router.use(Phase::AfterAccess, 0, std::make_shared<TraceMiddleware>("after", trace));
    router.setAccessCheck([](Request& req, Response& res) {
        if (req.access() == Access::Management && req.header("Authorization") != "Bearer secret") {
            res.json(401, Value::object({{"error", "missing management key"}}));
            return false;
        }
        return true;
    });
    router.route(Method::Get, "/m", Access::Management, [](Request&, Response& res) { res.text(200, "ok"); });
    router.route(Method::Get, "/p", Access::Public, [](Request&, Response& res) { res.text(200, "ok"); });

    FakeResponse refused = router.call(Method::Get, "/m");
    EXPECT_EQ(refused.status(), 401);
    EXPECT_TRUE(trace.empty());
    FakeRequest authed(Method::Get, "/m");
    authed.setHeader("Authorization", "Bearer secret");
    EXPECT_EQ(router.dispatch(authed).body(), "ok");
    EXPECT_EQ(router.call(Method::Get, "/p").body(), "ok");
}

TEST(FakeRouter, ErrorsAreMappedLikeTheCore) {
    FakeRouter router;
    router.route(Method::Put, "/value", Access::Public, [](Request& req, Response& res) {
        const auto v = cpa::sdk::boundBoolValue(req.body());
        if (!v) throw HttpError(400, "invalid body");
        res.json(200, Value::object({{"status", "ok"}}));
    });
    router.route(Method::Get, "/boom", Access::Public,
                 [](Request&, Response&) { throw std::runtime_error("secret detail"); });
    router.route(Method::Get, "/custom", Access::Public, [](Request&, Response&) {
        throw HttpError(422, Value::object({{"error", "invalid_config"}, {"message", "m"}}), "log only");
    });

    FakeResponse bad = router.call(Method::Put, "/value", "{");
    EXPECT_EQ(bad.status(), 400);
    EXPECT_EQ(bad.body(), R"({"error":"invalid body"})");
    EXPECT_EQ(router.lastError(), "invalid body");

    FakeResponse ok = router.call(Method::Put, "/value", R"({"value":true})");
    EXPECT_EQ(ok.status(), 200);
    EXPECT_EQ(router.lastError(), "");

    FakeResponse boom = router.call(Method::Get, "/boom");
    EXPECT_EQ(boom.status(), 500);
    EXPECT_EQ(boom.body(), R"({"error":"internal server error"})");  // detail never echoed
    EXPECT_EQ(router.lastError(), "secret detail");

    FakeResponse custom = router.call(Method::Get, "/custom");
    EXPECT_EQ(custom.status(), 422);
    EXPECT_EQ(custom.bodyJson(), Value::object({{"error", "invalid_config"}, {"message", "m"}}));
}

TEST(FakeRouter, ErrorAfterStreamingKeepsTheStream) {
    FakeRouter router;
    router.route(Method::Get, "/sse", Access::Public, [](Request&, Response& res) {
        res.setHeader("Content-Type", "text/event-stream");
        auto& w = res.stream();
        w.write("data: 1\n\n");
        w.flush();
        throw std::runtime_error("upstream died");
    });
    FakeResponse res = router.call(Method::Get, "/sse");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.streamed(), "data: 1\n\n");
    EXPECT_EQ(router.lastError(), "upstream died");
}
