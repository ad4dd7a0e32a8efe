// The quota module against the SDK fakes: no socket, no .so.
#include "quota_module.hpp"

#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

namespace st = cpa::sdk::testing;
using cpa::sdk::Method;
using cpa::sdk::Value;

namespace {

struct QuotaFixture : ::testing::Test {
    st::FakeContext ctx;
    st::FakeRouter router;
    cpa::quota::QuotaModule module;

    void SetUp() override {
        module.configure(ctx);
        module.registerRoutes(router);
    }
    st::FakeResponse call(Method m, const std::string& name, std::string body = {}) {
        return router.call(m, "/v0/management/quota-exceeded/" + name, std::move(body));
    }
};

}  // namespace

TEST_F(QuotaFixture, RegistersBothTogglesAsManagementRoutes) {
    for (const char* name : {"switch-project", "switch-preview-model"}) {
        EXPECT_EQ(call(Method::Get, name).status(), 200) << name;
        EXPECT_EQ(call(Method::Put, name, R"({"value":true})").status(), 200) << name;
        EXPECT_EQ(call(Method::Patch, name, R"({"value":false})").status(), 200) << name;
        EXPECT_EQ(call(Method::Delete, name).status(), 404) << "no DELETE for " << name;
    }
}

TEST_F(QuotaFixture, AbsentMeansFalseAndWritesLandInTheStore) {
    EXPECT_EQ(call(Method::Get, "switch-project").body(), R"({"switch-project":false})");
    auto put = call(Method::Put, "switch-project", R"({"value":true})");
    EXPECT_EQ(put.body(), R"({"status":"ok"})");
    EXPECT_TRUE(ctx.config().snapshot()->getBool("quota-exceeded.switch-project", false));
    EXPECT_EQ(ctx.config().snapshot()->find("quota-exceeded.switch-preview-model"), nullptr)
        << "the other toggle is not invented";
    EXPECT_EQ(call(Method::Get, "switch-project").body(), R"({"switch-project":true})");
}

TEST_F(QuotaFixture, InvalidBodiesAre400AndChangeNothing) {
    const auto generation = ctx.config().snapshot()->generation();
    for (const std::string body : {"", "{}", "null", R"({"value":null})", R"({"value":"yes"})", R"({"value":0})", "[1]"}) {
        auto r = call(Method::Put, "switch-preview-model", body);
        EXPECT_EQ(r.status(), 400) << body;
        EXPECT_EQ(r.body(), R"({"error":"invalid body"})") << body;
    }
    EXPECT_EQ(ctx.config().snapshot()->generation(), generation);
}

TEST_F(QuotaFixture, AFailedWriteIs500AndKeepsTheOldValue) {
    ctx.config().failNextWrite("disk full");
    auto r = call(Method::Put, "switch-project", R"({"value":true})");
    EXPECT_EQ(r.status(), 500);
    EXPECT_EQ(r.body(), R"({"error":"failed to save config: disk full"})");
    EXPECT_EQ(call(Method::Get, "switch-project").body(), R"({"switch-project":false})");
}

TEST_F(QuotaFixture, OtherKeysOfTheBlockStay) {
    ctx.config().update([](Value& root) {
        root["quota-exceeded"] = Value::object({{"antigravity-credits", true}, {"switch-project", false}});
    });
    call(Method::Patch, "switch-project", R"({"value":true})");
    const Value* block = ctx.config().snapshot()->find("quota-exceeded");
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(*block, Value::object({{"antigravity-credits", true}, {"switch-project", true}}));
}

TEST_F(QuotaFixture, ValidatorRefusesNonBooleans) {
    EXPECT_THROW(ctx.config().update([](Value& root) { root["quota-exceeded"] = Value::object({{"switch-project", "maybe"}}); }),
                 cpa::sdk::HttpError);
    EXPECT_THROW(ctx.config().update([](Value& root) { root["quota-exceeded"] = Value(5); }), cpa::sdk::HttpError);
}
