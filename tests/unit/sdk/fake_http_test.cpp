#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fake_http.hpp>

#include <gtest/gtest.h>

using cpa::sdk::Access;
using cpa::sdk::Method;
using cpa::sdk::Value;
using cpa::sdk::testing::FakeRequest;
using cpa::sdk::testing::FakeResponse;

TEST(FakeRequest, Defaults) {
    const FakeRequest req;
    EXPECT_EQ(req.method(), Method::Get);
    EXPECT_EQ(req.path(), "/");
    EXPECT_EQ(req.body(), "");
    EXPECT_EQ(req.peerAddress(), "127.0.0.1");
    EXPECT_EQ(req.clientIp(), "127.0.0.1");
    EXPECT_FALSE(req.requestId().empty());
    EXPECT_EQ(req.access(), Access::Public);
    EXPECT_EQ(req.param("x"), "");
    EXPECT_FALSE(req.query("x").has_value());
    EXPECT_FALSE(req.header("x").has_value());
}

TEST(FakeRequest, TargetIsSplitAndDecoded) {
    const FakeRequest req(Method::Delete, "/v0/a%20b/c?name=x%2Fy&flag&name=second&q=a+b&=v&bad=%zz", "body");
    EXPECT_EQ(req.method(), Method::Delete);
    EXPECT_EQ(req.path(), "/v0/a b/c");
    EXPECT_EQ(req.body(), "body");
    EXPECT_EQ(req.query("name"), "x/y");  // first value
    EXPECT_EQ(req.query("flag"), "");
    EXPECT_EQ(req.query("q"), "a b");
    EXPECT_EQ(req.query("bad"), "%zz");
    EXPECT_EQ(req.query(""), "v");
    EXPECT_EQ(req.queryParams().size(), 6u);
    EXPECT_FALSE(req.query("NAME").has_value());  // query names are case-sensitive
}

TEST(FakeRequest, HeadersAreCaseInsensitiveAndSetReplaces) {
    FakeRequest req;
    req.addHeader("X-Multi", "1").addHeader("x-multi", "2").setHeader("Authorization", "Bearer a");
    EXPECT_EQ(req.header("x-MULTI"), "1");
    req.setHeader("AUTHORIZATION", "Bearer b");
    EXPECT_EQ(req.header("authorization"), "Bearer b");
    EXPECT_EQ(req.headers().size(), 3u);
    req.removeHeader("x-multi");
    EXPECT_FALSE(req.header("X-Multi").has_value());
}

TEST(FakeRequest, SettersChainAndJsonBody) {
    FakeRequest req;
    req.setMethod(Method::Put)
        .setPath("/p")
        .setParam("name", "a")
        .setParam("name", "b")
        .setJsonBody(Value::object({{"value", true}}))
        .setPeerAddress("10.0.0.1")
        .setRequestId("abc")
        .setAccess(Access::Management)
        .setRoutePattern("/p");
    EXPECT_EQ(req.param("name"), "b");
    EXPECT_EQ(req.params().size(), 1u);
    EXPECT_EQ(req.body(), R"({"value":true})");
    EXPECT_EQ(req.header("content-type"), "application/json");
    EXPECT_EQ(req.peerAddress(), "10.0.0.1");
    EXPECT_EQ(req.clientIp(), "10.0.0.1");
    req.setClientIp("203.0.113.9");
    EXPECT_EQ(req.peerAddress(), "10.0.0.1");
    EXPECT_EQ(req.clientIp(), "203.0.113.9");
    EXPECT_EQ(req.requestId(), "abc");
    EXPECT_EQ(req.access(), Access::Management);
    EXPECT_EQ(req.routePattern(), "/p");
}

TEST(FakeRequest, Attributes) {
    FakeRequest req;
    EXPECT_EQ(req.attribute("client-key"), nullptr);
    req.setAttribute("client-key", "k1");
    req.setAttribute("client-key", "k2");
    ASSERT_NE(req.attribute("client-key"), nullptr);
    EXPECT_EQ(req.attribute("client-key")->asString(), "k2");
    EXPECT_EQ(req.attributes().size(), 1u);
}

TEST(FakeResponse, RecordsStatusHeadersAndBody) {
    FakeResponse res;
    EXPECT_EQ(res.status(), 200);
    res.setStatus(418);
    res.addHeader("Set-Cookie", "a=1");
    res.addHeader("set-cookie", "b=2");
    res.setHeader("X-Thing", "1");
    res.setHeader("x-thing", "2");
    res.setBody(R"({"a":[1]})", "application/json");
    EXPECT_EQ(res.status(), 418);
    EXPECT_EQ(res.header("X-THING"), "2");
    EXPECT_EQ(res.headers().size(), 4u);
    EXPECT_EQ(res.bodyJson(), Value::object({{"a", Value(Value::Array{1})}}));
    res.setBody("plain", "");
    EXPECT_EQ(res.header("Content-Type"), "application/json");  // empty type leaves it
    EXPECT_THROW(res.bodyJson(), cpa::sdk::JsonError);
}

TEST(FakeResponse, StreamCapturesWritesAndFlushes) {
    FakeResponse res;
    res.setHeader("Content-Type", "text/event-stream");
    auto& w = res.stream();
    EXPECT_TRUE(res.streaming());
    EXPECT_TRUE(w.write("data: 1\n\n"));
    EXPECT_TRUE(w.flush());
    EXPECT_TRUE(w.write("data: 2\n\n"));
    EXPECT_TRUE(w.flush());
    EXPECT_EQ(res.streamed(), "data: 1\n\ndata: 2\n\n");
    EXPECT_EQ(res.writer().flushCount(), 2u);
    EXPECT_EQ(res.writer().writeCount(), 2u);
    EXPECT_THROW(res.setStatus(500), std::logic_error);
    EXPECT_THROW(res.setHeader("X", "y"), std::logic_error);
    EXPECT_THROW(res.setBody("x", "text/plain"), std::logic_error);

    res.writer().disconnect();
    EXPECT_FALSE(w.write("data: 3\n\n"));
    EXPECT_FALSE(w.flush());
    EXPECT_EQ(res.streamed(), "data: 1\n\ndata: 2\n\n");
    EXPECT_EQ(res.writer().flushCount(), 2u);
}
