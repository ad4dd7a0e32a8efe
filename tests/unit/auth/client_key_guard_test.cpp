// The core's client-key guard (data-plane §3): five sources, two 401s, open
// access, hot reload.
#include "auth/client_key_guard.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

using sdk::testing::FakeRequest;
using sdk::testing::FakeResponse;

class ClientKeyGuardTest : public ::testing::Test {
protected:
    ClientKeyGuardTest() : store(sdk::parseJson(R"({"api-keys":[" k1 ","k2","","k1",12345]})")), guard(store) {}

    std::pair<sdk::Next, FakeResponse> check(FakeRequest& req) {
        FakeResponse res;
        const sdk::Next n = guard.check(req, res);
        return {n, std::move(res)};
    }
    std::string principal(const FakeRequest& req) const {
        const sdk::Value* v = req.attribute(sdk::kClientKeyAttribute);
        return v ? v->asString() : "<none>";
    }
    std::string source(const FakeRequest& req) const {
        const sdk::Value* v = req.attribute("client-key-source");
        return v ? v->asString() : "<none>";
    }

    sdk::testing::InMemoryConfigStore store;
    ClientKeyGuard guard;
};

TEST_F(ClientKeyGuardTest, NormalisedKeys) {
    const auto v = sdk::parseJson(R"([" k1 ","k2","","k1",12345])");
    EXPECT_EQ(ClientKeyGuard::normaliseKeys(&v), (std::vector<std::string>{"k1", "k2", "12345"}));
}

TEST_F(ClientKeyGuardTest, EachSourceAccepted) {
    struct Case {
        std::function<void(FakeRequest&)> set;
        std::string source;
    };
    const std::vector<Case> cases = {
        {[](FakeRequest& r) { r.setHeader("Authorization", "Bearer k1"); }, "authorization"},
        {[](FakeRequest& r) { r.setHeader("Authorization", "bEaReR   k1  "); }, "authorization"},
        {[](FakeRequest& r) { r.setHeader("Authorization", "k1"); }, "authorization"},
        {[](FakeRequest& r) { r.setHeader("X-Goog-Api-Key", "k1"); }, "x-goog-api-key"},
        {[](FakeRequest& r) { r.setHeader("X-Api-Key", "k1"); }, "x-api-key"},
        {[](FakeRequest& r) { r.addQuery("key", "k1"); }, "query-key"},
        {[](FakeRequest& r) { r.addQuery("auth_token", "k1"); }, "query-auth-token"},
    };
    for (const auto& c : cases) {
        FakeRequest req(sdk::Method::Post, "/v1/chat/completions");
        c.set(req);
        auto [next, res] = check(req);
        EXPECT_EQ(next, sdk::Next::Continue) << c.source;
        EXPECT_EQ(principal(req), "k1");
        EXPECT_EQ(source(req), c.source);
    }
}

TEST_F(ClientKeyGuardTest, FirstMatchingSourceInOrderWins) {
    FakeRequest req(sdk::Method::Get, "/v1/models?key=k2&auth_token=k1");
    req.setHeader("Authorization", "Bearer wrong");
    req.setHeader("X-Api-Key", "also-wrong");
    auto [next, res] = check(req);
    EXPECT_EQ(next, sdk::Next::Continue);
    EXPECT_EQ(principal(req), "k2");
    EXPECT_EQ(source(req), "query-key");
}

TEST_F(ClientKeyGuardTest, MissingAndInvalid) {
    FakeRequest none(sdk::Method::Get, "/v1/models");
    auto [n1, r1] = check(none);
    EXPECT_EQ(n1, sdk::Next::Stop);
    EXPECT_EQ(r1.status(), 401);
    EXPECT_EQ(r1.body(), R"({"error":"Missing API key"})");

    FakeRequest blank(sdk::Method::Get, "/v1/models");
    blank.setHeader("Authorization", "Bearer ");
    EXPECT_EQ(check(blank).second.body(), R"({"error":"Missing API key"})");

    FakeRequest wrong(sdk::Method::Get, "/v1/models");
    wrong.setHeader("X-Goog-Api-Key", "K1");  // case-sensitive
    auto [n2, r2] = check(wrong);
    EXPECT_EQ(n2, sdk::Next::Stop);
    EXPECT_EQ(r2.status(), 401);
    EXPECT_EQ(r2.body(), R"({"error":"Invalid API key"})");
    EXPECT_EQ(wrong.attribute(sdk::kClientKeyAttribute), nullptr);

    FakeRequest basic(sdk::Method::Get, "/v1/models");
    basic.setHeader("Authorization", "Basic k1");  // the whole value is the candidate
    EXPECT_EQ(check(basic).second.body(), R"({"error":"Invalid API key"})");
}

TEST_F(ClientKeyGuardTest, EmptyListOpensAccessAndReloadApplies) {
    FakeRequest req(sdk::Method::Get, "/v1/models");
    req.setHeader("Authorization", "Bearer k3");
    EXPECT_EQ(check(req).first, sdk::Next::Stop);
    store.update([](sdk::Value& root) { root.set("api-keys", sdk::parseJson(R"(["k3"])")); });
    FakeRequest again(sdk::Method::Get, "/v1/models");
    again.setHeader("Authorization", "Bearer k3");
    EXPECT_EQ(check(again).first, sdk::Next::Continue);
    store.reload(sdk::parseJson(R"({"api-keys":[]})"));
    FakeRequest open(sdk::Method::Get, "/v1/models");
    EXPECT_EQ(check(open).first, sdk::Next::Continue);
    EXPECT_EQ(open.attribute(sdk::kClientKeyAttribute), nullptr);
}

}  // namespace
}  // namespace cpa::core
