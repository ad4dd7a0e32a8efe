#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cpa::core {
namespace {

using sdk::Access;
using sdk::Method;

sdk::Handler tagged(int* out, int tag) {
    return [out, tag](sdk::Request&, sdk::Response&) { *out = tag; };
}

std::string param(const RouteMatch& m, const std::string& name) {
    for (const auto& [k, v] : m.params)
        if (k == name) return v;
    return "<absent>";
}

TEST(Router, BodyLimitsAttachToRegisteredRoutesOnly) {
    Router r;
    int hit = 0;
    r.route(Method::Put, "/v0/management/config.yaml", Access::Management, tagged(&hit, 1));
    r.route(Method::Get, "/v0/management/config.yaml", Access::Management, tagged(&hit, 2));
    r.setBodyLimit(Method::Put, "/v0/management/config.yaml", 8u << 20);
    EXPECT_EQ(r.match(Method::Put, "/v0/management/config.yaml").route->maxBodyBytes, 8u << 20);
    EXPECT_EQ(r.match(Method::Get, "/v0/management/config.yaml").route->maxBodyBytes, 0u) << "per method";
    EXPECT_THROW(r.setBodyLimit(Method::Post, "/v0/management/config.yaml", 1), std::logic_error);
    EXPECT_THROW(r.setBodyLimit(Method::Put, "/v0/management/other", 1), std::logic_error);
    r.freeze();
    EXPECT_THROW(r.setBodyLimit(Method::Put, "/v0/management/config.yaml", 1), std::logic_error);
}

TEST(Router, StaticBeatsParamRegardlessOfOrder) {
    Router r;
    r.route(Method::Get, "/v0/management/auth-files/:name", Access::Management, [](auto&, auto&) {});
    r.route(Method::Get, "/v0/management/auth-files/download", Access::Management, [](auto&, auto&) {});
    r.freeze();

    auto m = r.match(Method::Get, "/v0/management/auth-files/download");
    ASSERT_TRUE(m);
    EXPECT_EQ(m.route->pattern, "/v0/management/auth-files/download");
    EXPECT_TRUE(m.params.empty());

    m = r.match(Method::Get, "/v0/management/auth-files/x.json");
    ASSERT_TRUE(m);
    EXPECT_EQ(m.route->pattern, "/v0/management/auth-files/:name");
    EXPECT_EQ(param(m, "name"), "x.json");
    EXPECT_EQ(m.route->access, Access::Management);
}

TEST(Router, ExtractsSeveralParams) {
    Router r;
    r.route(Method::Put, "/a/:first/b/:second", Access::Public, [](auto&, auto&) {});
    auto m = r.match(Method::Put, "/a/one/b/two");
    ASSERT_TRUE(m);
    ASSERT_EQ(m.params.size(), 2u);
    EXPECT_EQ(param(m, "first"), "one");
    EXPECT_EQ(param(m, "second"), "two");
    EXPECT_EQ(m.route->paramNames, (std::vector<std::string>{"first", "second"}));
}

TEST(Router, BacktracksFromStaticToParam) {
    Router r;
    r.route(Method::Get, "/a/b", Access::Public, [](auto&, auto&) {});
    r.route(Method::Get, "/a/:x/c", Access::Public, [](auto&, auto&) {});
    auto m = r.match(Method::Get, "/a/b/c");
    ASSERT_TRUE(m);
    EXPECT_EQ(m.route->pattern, "/a/:x/c");
    EXPECT_EQ(param(m, "x"), "b");
}

TEST(Router, UnknownPathVersusUnregisteredMethod) {
    Router r;
    r.route(Method::Get, "/v0/management/debug", Access::Management, [](auto&, auto&) {});
    r.route(Method::Delete, "/items/:id", Access::Public, [](auto&, auto&) {});
    r.freeze();

    auto m = r.match(Method::Post, "/v0/management/debug");
    EXPECT_FALSE(m);
    EXPECT_EQ(m.miss, RouteMatch::Miss::MethodNotRegistered);

    m = r.match(Method::Get, "/items/7");
    EXPECT_FALSE(m);
    EXPECT_EQ(m.miss, RouteMatch::Miss::MethodNotRegistered);

    m = r.match(Method::Get, "/v0/management/nothing");
    EXPECT_FALSE(m);
    EXPECT_EQ(m.miss, RouteMatch::Miss::PathUnknown);

    // HEAD is not GET.
    m = r.match(Method::Head, "/v0/management/debug");
    EXPECT_FALSE(m);
    EXPECT_EQ(m.miss, RouteMatch::Miss::MethodNotRegistered);
}

TEST(Router, TrailingSlashAndEmptySegmentsDoNotMatch) {
    Router r;
    r.route(Method::Get, "/a/:id", Access::Public, [](auto&, auto&) {});
    r.route(Method::Get, "/b", Access::Public, [](auto&, auto&) {});
    EXPECT_FALSE(r.match(Method::Get, "/b/"));
    EXPECT_FALSE(r.match(Method::Get, "/a/"));  // a param is never empty
    EXPECT_FALSE(r.match(Method::Get, "//b"));
    EXPECT_FALSE(r.match(Method::Get, "/a/x/y"));
    EXPECT_FALSE(r.match(Method::Get, "b"));
    EXPECT_FALSE(r.match(Method::Get, ""));
    EXPECT_TRUE(r.match(Method::Get, "/b"));
}

TEST(Router, RootAndCatchAll) {
    Router r;
    int hit = 0;
    r.route(Method::Get, "/", Access::Public, tagged(&hit, 1));
    r.route(Method::Post, "/v1beta/models/*action", Access::ClientKey, tagged(&hit, 2));
    r.route(Method::Post, "/v1beta/models/list", Access::ClientKey, tagged(&hit, 3));

    auto m = r.match(Method::Get, "/");
    ASSERT_TRUE(m);
    EXPECT_EQ(m.route->pattern, "/");

    m = r.match(Method::Post, "/v1beta/models/gemini-pro:generateContent");
    ASSERT_TRUE(m);
    EXPECT_EQ(param(m, "action"), "gemini-pro:generateContent");
    m = r.match(Method::Post, "/v1beta/models/a/b");
    ASSERT_TRUE(m);
    EXPECT_EQ(param(m, "action"), "a/b");
    m = r.match(Method::Post, "/v1beta/models/list");
    ASSERT_TRUE(m);
    EXPECT_EQ(m.route->pattern, "/v1beta/models/list");
    EXPECT_FALSE(r.match(Method::Post, "/v1beta/models/"));
    EXPECT_EQ(r.match(Method::Get, "/v1beta/models/x").miss, RouteMatch::Miss::MethodNotRegistered);
}

TEST(Router, RefusesDuplicates) {
    Router r;
    r.route(Method::Get, "/a/:x", Access::Public, [](auto&, auto&) {});
    EXPECT_THROW(r.route(Method::Get, "/a/:x", Access::Public, [](auto&, auto&) {}), std::logic_error);
    // Same shape, other parameter name: still the same route.
    EXPECT_THROW(r.route(Method::Get, "/a/:y", Access::Management, [](auto&, auto&) {}), std::logic_error);
    // Another method on the same pattern is fine.
    EXPECT_NO_THROW(r.route(Method::Post, "/a/:x", Access::Public, [](auto&, auto&) {}));
    EXPECT_EQ(r.routeCount(), 2u);
}

TEST(Router, RefusesMalformedPatterns) {
    Router r;
    auto h = [](sdk::Request&, sdk::Response&) {};
    for (const char* bad : {"", "a/b", "/a//b", "/a/", "/a/:", "/a/:x/:x", "/a/*rest/b", "/a?x=1", "/a/b:c",
                            "/a/:bad name", "/*"}) {
        EXPECT_THROW(r.route(Method::Get, bad, Access::Public, h), std::logic_error) << bad;
    }
    EXPECT_THROW(r.route(Method::Get, "/ok", Access::Public, nullptr), std::logic_error);
    EXPECT_EQ(r.routeCount(), 0u);
}

class NoopMiddleware : public sdk::Middleware {
public:
    sdk::Next onRequest(sdk::Request&, sdk::Response&) override { return sdk::Next::Continue; }
};

TEST(Router, FrozenRefusesRoutesAndMiddleware) {
    Router r;
    r.route(Method::Get, "/a", Access::Public, [](auto&, auto&) {});
    r.freeze();
    EXPECT_TRUE(r.frozen());
    EXPECT_THROW(r.route(Method::Get, "/b", Access::Public, [](auto&, auto&) {}), std::logic_error);
    EXPECT_THROW(r.use(sdk::Phase::BeforeAccess, 0, std::make_shared<NoopMiddleware>()), std::logic_error);
    EXPECT_TRUE(r.match(Method::Get, "/a"));
}

TEST(Router, MiddlewareSortedByOrderStable) {
    Router r;
    auto a = std::make_shared<NoopMiddleware>();
    auto b = std::make_shared<NoopMiddleware>();
    auto c = std::make_shared<NoopMiddleware>();
    auto d = std::make_shared<NoopMiddleware>();
    r.use(sdk::Phase::AfterAccess, 10, a);
    r.use(sdk::Phase::AfterAccess, -5, b);
    r.use(sdk::Phase::AfterAccess, 10, c);
    r.use(sdk::Phase::BeforeAccess, 0, d);
    const auto& after = r.middleware(sdk::Phase::AfterAccess);
    ASSERT_EQ(after.size(), 3u);
    EXPECT_EQ(after[0].middleware, b);
    EXPECT_EQ(after[1].middleware, a);
    EXPECT_EQ(after[2].middleware, c);
    ASSERT_EQ(r.middleware(sdk::Phase::BeforeAccess).size(), 1u);
    EXPECT_EQ(r.middleware(sdk::Phase::BeforeAccess)[0].middleware, d);
}

TEST(Router, ParseMethod) {
    Method m{};
    EXPECT_TRUE(parseMethod("PATCH", m));
    EXPECT_EQ(m, Method::Patch);
    EXPECT_FALSE(parseMethod("get", m));
    EXPECT_FALSE(parseMethod("TRACE", m));
}

}  // namespace
}  // namespace cpa::core
