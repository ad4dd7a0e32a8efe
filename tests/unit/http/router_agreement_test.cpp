// The server's Router and the SDK's FakeRouter must route every path alike:
// a module's unit tests (FakeRouter) would otherwise pass where the server
// routes differently. One table of patterns × paths through both.
#include "http/router.hpp"

#include <cpa/sdk/testing/fake_router.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace cpa::core {
namespace {

using sdk::Access;
using sdk::Method;

struct Registered {
    Method method;
    const char* pattern;
};

// Registered in an order that puts the weaker pattern first where it matters,
// so precedence cannot come from registration order.
const Registered kRoutes[] = {
    {Method::Get, "/"},
    {Method::Get, "/v0/management/auth-files/:name"},
    {Method::Get, "/v0/management/auth-files/download"},
    {Method::Delete, "/v0/management/auth-files/:name"},
    {Method::Post, "/v1beta/models/*action"},
    {Method::Post, "/v1beta/models/list"},
    {Method::Get, "/a/b"},
    {Method::Get, "/a/:x/c"},
    {Method::Get, "/files/*rest"},
    {Method::Get, "/files/:id/meta"},
    {Method::Put, "/p/:first/q/:second"},
    {Method::Get, "/api/:provider/v1/*tail"},
    {Method::Get, "/api/openai/v1/models"},
};

struct Case {
    Method method;
    const char* path;
    const char* expected;  // pattern that serves it; nullptr: no route
    std::vector<sdk::Header> params;
};

const std::vector<Case>& cases() {
    static const std::vector<Case> k = {
        {Method::Get, "/", "/", {}},
        {Method::Get, "/v0/management/auth-files/download", "/v0/management/auth-files/download", {}},
        {Method::Get, "/v0/management/auth-files/x.json", "/v0/management/auth-files/:name", {{"name", "x.json"}}},
        {Method::Delete, "/v0/management/auth-files/download", "/v0/management/auth-files/:name",
         {{"name", "download"}}},
        {Method::Post, "/v0/management/auth-files/x.json", nullptr, {}},
        {Method::Get, "/v0/management/auth-files/", nullptr, {}},
        {Method::Get, "/v0/management/auth-files", nullptr, {}},
        {Method::Post, "/v1beta/models/list", "/v1beta/models/list", {}},
        {Method::Post, "/v1beta/models/gemini-pro:generateContent", "/v1beta/models/*action",
         {{"action", "gemini-pro:generateContent"}}},
        {Method::Post, "/v1beta/models/a/b/c", "/v1beta/models/*action", {{"action", "a/b/c"}}},
        {Method::Post, "/v1beta/models/list/more", "/v1beta/models/*action", {{"action", "list/more"}}},
        {Method::Post, "/v1beta/models/", nullptr, {}},
        {Method::Post, "/v1beta/models", nullptr, {}},
        {Method::Get, "/a/b", "/a/b", {}},
        {Method::Get, "/a/b/c", "/a/:x/c", {{"x", "b"}}},
        {Method::Get, "/a/zz/c", "/a/:x/c", {{"x", "zz"}}},
        {Method::Get, "/a//c", nullptr, {}},
        {Method::Get, "/a/b/", nullptr, {}},
        {Method::Get, "/files/7/meta", "/files/:id/meta", {{"id", "7"}}},
        {Method::Get, "/files/7/other", "/files/*rest", {{"rest", "7/other"}}},
        {Method::Get, "/files/7", "/files/*rest", {{"rest", "7"}}},
        {Method::Get, "/files/", nullptr, {}},
        {Method::Put, "/p/one/q/two", "/p/:first/q/:second", {{"first", "one"}, {"second", "two"}}},
        {Method::Put, "/p/one/q/", nullptr, {}},
        {Method::Get, "/api/openai/v1/models", "/api/openai/v1/models", {}},
        {Method::Get, "/api/openai/v1/chat/completions", "/api/:provider/v1/*tail",
         {{"provider", "openai"}, {"tail", "chat/completions"}}},
        {Method::Get, "/api/claude/v1/models", "/api/:provider/v1/*tail", {{"provider", "claude"}, {"tail", "models"}}},
        {Method::Head, "/a/b", nullptr, {}},
        {Method::Get, "/nowhere", nullptr, {}},
        {Method::Get, "", nullptr, {}},
        {Method::Get, "relative", nullptr, {}},
    };
    return k;
}

TEST(RouterAgreement, ServerRouterAndFakeRouterPickTheSameRouteAndParams) {
    Router server;
    sdk::testing::FakeRouter fake;
    for (const Registered& r : kRoutes) {
        server.route(r.method, r.pattern, Access::Public, [](auto&, auto&) {});
        fake.route(r.method, r.pattern, Access::Public, [](auto&, auto&) {});
    }
    server.freeze();
    for (const Case& c : cases()) {
        SCOPED_TRACE(std::string(sdk::methodName(c.method)) + " " + c.path);
        const RouteMatch s = server.match(c.method, c.path);
        std::vector<sdk::Header> fakeParams;
        const auto* f = fake.match(c.method, c.path, &fakeParams);
        if (c.expected == nullptr) {
            EXPECT_FALSE(s);
            EXPECT_EQ(f, nullptr);
            continue;
        }
        ASSERT_TRUE(s);
        ASSERT_NE(f, nullptr);
        EXPECT_EQ(s.route->pattern, c.expected);
        EXPECT_EQ(f->pattern, c.expected);
        EXPECT_EQ(s.params, c.params);
        EXPECT_EQ(fakeParams, c.params);
    }
}

TEST(RouterAgreement, FakeRouterDispatchSeesTheServersParams) {
    sdk::testing::FakeRouter fake;
    fake.route(Method::Post, "/v1beta/models/*action", Access::Public, [](sdk::Request& req, sdk::Response& res) {
        res.text(200, req.param("action"));
    });
    EXPECT_EQ(fake.call(Method::Post, "/v1beta/models/m:streamGenerateContent?alt=sse").body(),
              "m:streamGenerateContent");
}

TEST(RouterAgreement, BothRefuseTheSamePatterns) {
    const std::vector<std::string> patterns = {
        "",      "no-slash", "/a/",     "/a//b",  "/a/:",       "/a/*",      "/a/*x/b", "/a/:x/:x",
        "/a?b",  "/a#b",     "/a/b:c",  "/a/b*c", "/a/:bad.name", "/ok/:id", "/ok/*rest", "/",
    };
    for (const std::string& p : patterns) {
        SCOPED_TRACE(p);
        Router server;
        sdk::testing::FakeRouter fake;
        bool serverRefused = false;
        bool fakeRefused = false;
        try {
            server.route(Method::Get, p, Access::Public, [](auto&, auto&) {});
        } catch (const std::logic_error&) {
            serverRefused = true;
        }
        try {
            fake.route(Method::Get, p, Access::Public, [](auto&, auto&) {});
        } catch (const std::logic_error&) {
            fakeRefused = true;
        }
        EXPECT_EQ(serverRefused, fakeRefused);
        const bool valid = p == "/ok/:id" || p == "/ok/*rest" || p == "/";
        EXPECT_EQ(serverRefused, !valid);
    }
    // A duplicate differs only in parameter names: refused by both.
    Router server;
    sdk::testing::FakeRouter fake;
    server.route(Method::Get, "/d/:x", Access::Public, [](auto&, auto&) {});
    fake.route(Method::Get, "/d/:x", Access::Public, [](auto&, auto&) {});
    EXPECT_THROW(server.route(Method::Get, "/d/:y", Access::Public, [](auto&, auto&) {}), std::logic_error);
    EXPECT_THROW(fake.route(Method::Get, "/d/:y", Access::Public, [](auto&, auto&) {}), std::logic_error);
}

}  // namespace
}  // namespace cpa::core
