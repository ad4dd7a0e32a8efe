#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

using namespace cpa::sdk;
namespace fakes = cpa::sdk::testing;

namespace {

constexpr ServiceKey<int> kCounterService{"test.Counter/1"};

/// A tiny module exercising every part of the context, the way a plugin would.
class CounterModule : public Module {
public:
    void configure(ModuleContext& ctx) override {
        ctx_ = &ctx;
        ctx.config().addValidator("counter", [](const Value& root) {
            const Value* v = root.findPath("counter.step");
            if (v && !v->isInt()) throw std::invalid_argument("counter.step must be an integer");
        });
        ctx.services().provide(kCounterService, std::make_shared<int>(42));
        ctx.logger().info("configured, build " + ctx.build().version);
    }
    void registerRoutes(RouteRegistry& routes) override {
        routes.route(Method::Post, "/counter/step", Access::Management, [this](Request& req, Response& res) {
            const auto step = boundIntValue(req.body());
            if (!step) throw HttpError(400, "invalid body");
            ctx_->config().update([&](Value& root) { root["counter"].set("step", *step); });
            ctx_->events().publish("counter.changed", Value::object({{"step", *step}}));
            res.json(200, Value::object({{"status", "ok"}}));
        });
    }

private:
    ModuleContext* ctx_ = nullptr;
};

}  // namespace

TEST(FakeContext, DefaultsAreHarmless) {
    fakes::FakeContext ctx;
    EXPECT_TRUE(ctx.config().snapshot()->root().isObject());
    EXPECT_EQ(ctx.paths().configFile.rfind("/nonexistent/", 0), 0u);
    EXPECT_FALSE(ctx.build().version.empty());
    ctx.mutablePaths().authDir = "/tmp/x";
    EXPECT_EQ(ctx.paths().authDir, "/tmp/x");
    ModuleContext& base = ctx;
    EXPECT_EQ(&base.config(), &ctx.config());
}

TEST(FakeContext, ModuleEndToEndWithoutSocket) {
    fakes::FakeContext ctx(Value::object({{"counter", Value::object({{"step", 1}})}}));
    fakes::FakeRouter router;
    CounterModule module;
    module.configure(ctx);
    module.registerRoutes(router);
    router.freeze();

    EXPECT_EQ(*ctx.services().get(kCounterService), 42);
    EXPECT_TRUE(ctx.logger().contains("configured, build 0.0.0-test"));

    auto ok = router.call(Method::Post, "/counter/step", R"({"value": 5})");
    EXPECT_EQ(ok.status(), 200);
    EXPECT_EQ(ctx.config().snapshot()->getInt("counter.step", 0), 5);
    ASSERT_EQ(ctx.events().publishedOn("counter.changed").size(), 1u);
    EXPECT_EQ(ctx.events().publishedOn("counter.changed")[0], Value::object({{"step", 5}}));

    EXPECT_EQ(router.call(Method::Post, "/counter/step", R"({"value": 5.5})").status(), 400);

    ctx.config().failNextWrite("disk full");
    auto failed = router.call(Method::Post, "/counter/step", R"({"value": 9})");
    EXPECT_EQ(failed.status(), 500);
    EXPECT_EQ(failed.body(), R"({"error":"failed to save config: disk full"})");
    EXPECT_EQ(ctx.config().snapshot()->getInt("counter.step", 0), 5);
    EXPECT_EQ(ctx.events().publishedOn("counter.changed").size(), 1u);
}

TEST(FakeServices, ProvideFindAndDuplicates) {
    fakes::FakeServices services;
    constexpr ServiceKey<std::string> kX{"x/1"};
    EXPECT_EQ(services.get(kX), nullptr);
    services.provide(kX, std::make_shared<std::string>("hello"));
    EXPECT_EQ(*services.get(kX), "hello");
    EXPECT_THROW(services.provide(ServiceKey<int>{"x/1"}, std::make_shared<int>(1)), std::logic_error);
    EXPECT_THROW(services.get(ServiceKey<int>{"x/1"}), std::logic_error) << "type-checked like the core's registry";
    EXPECT_EQ(services.ids(), std::vector<std::string>{"x/1"});
}

TEST(FakeEvents, DeliversToTopicSubscribersAndRecords) {
    fakes::FakeEvents events;
    int a = 0, b = 0;
    auto subA = events.subscribe("t1", [&](const Value& v) { a += static_cast<int>(v.asInt()); });
    auto subB = events.subscribe("t2", [&](const Value&) { ++b; });
    auto bad = events.subscribe("t1", [](const Value&) { throw std::runtime_error("listener bug"); });
    events.publish("t1", 5);
    events.publish("t2", 1);
    EXPECT_EQ(a, 5);
    EXPECT_EQ(b, 1);
    EXPECT_EQ(events.listenerErrors(), 1u);
    subA.reset();
    events.publish("t1", 5);
    EXPECT_EQ(a, 5);
    ASSERT_EQ(events.published().size(), 3u);
    EXPECT_EQ(events.published()[1].topic, "t2");
    EXPECT_EQ(events.publishedOn("t1").size(), 2u);
    events.clear();
    EXPECT_TRUE(events.published().empty());
}

TEST(FakeLogger, CapturesLines) {
    fakes::FakeLogger logger;
    Logger& base = logger;
    base.info("started");
    base.warning("careful");
    base.error("broken");
    base.warning("again");
    EXPECT_TRUE(logger.contains("careful"));
    EXPECT_FALSE(logger.contains("absent"));
    EXPECT_EQ(logger.count(LogLevel::Warning), 2u);
    EXPECT_EQ(logger.lines().size(), 4u);
    EXPECT_EQ(logger.text(), "INFO started\nWARNING careful\nERROR broken\nWARNING again\n");
    logger.clear();
    EXPECT_TRUE(logger.lines().empty());
}
