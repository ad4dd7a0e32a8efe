// The Responses codec: error bodies both ways, and the token-count stubs.
#include "responses_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace rtest;

TEST(ResponsesErrors, EncodeWritesTheOpenAIShape) {
    const auto body = json(responses().encodeError(ErrorInfo{400, "bad field", ""}));
    EXPECT_EQ(at(body, "error.message").asString(), "bad field");
    EXPECT_EQ(at(body, "error.type").asString(), "invalid_request_error");
    EXPECT_TRUE(body.find("error")->contains("param"));
    EXPECT_TRUE(at(body, "error.param").isNull());
    EXPECT_TRUE(at(body, "error.code").isNull());

    const auto rate = json(responses().encodeError(ErrorInfo{429, "slow", ""}));
    EXPECT_EQ(at(rate, "error.type").asString(), "rate_limit_error");
    EXPECT_EQ(at(rate, "error.code").asString(), "rate_limit_exceeded");
    const auto auth = json(responses().encodeError(ErrorInfo{401, "who", ""}));
    EXPECT_EQ(at(auth, "error.type").asString(), "authentication_error");
    EXPECT_EQ(at(auth, "error.code").asString(), "invalid_api_key");
    const auto server = json(responses().encodeError(ErrorInfo{502, "down", ""}));
    EXPECT_EQ(at(server, "error.type").asString(), "server_error");
    EXPECT_EQ(at(server, "error.code").asString(), "internal_server_error");
    const auto overloaded = json(responses().encodeError(ErrorInfo{500, "busy", "overloaded"}));
    EXPECT_EQ(at(overloaded, "error.type").asString(), "server_error");
    EXPECT_EQ(at(overloaded, "error.code").asString(), "server_overloaded");
}

TEST(ResponsesErrors, DecodeReadsTheUpstreamShapes) {
    const ErrorInfo a = responses().decodeError(
        400, R"({"error":{"message":"Unsupported parameter: temperature","type":"invalid_request_error","param":"temperature","code":null}})");
    EXPECT_EQ(a.status, 400);
    EXPECT_EQ(a.message, "Unsupported parameter: temperature");
    EXPECT_EQ(a.kind, "invalid_request");

    const ErrorInfo b = responses().decodeError(
        429, R"({"error":{"type":"usage_limit_reached","message":"The usage limit has been reached","resets_in_seconds":60}})");
    EXPECT_EQ(b.kind, "rate_limit");
    EXPECT_EQ(b.message, "The usage limit has been reached");

    const ErrorInfo c = responses().decodeError(500, R"({"type":"error","code":"server_error","message":"oops"})");
    EXPECT_EQ(c.message, "oops");

    const ErrorInfo d = responses().decodeError(400, R"({"detail":"Unsupported model"})");
    EXPECT_EQ(d.message, "Unsupported model");

    const ErrorInfo e = responses().decodeError(502, "<html>bad gateway</html>");
    EXPECT_EQ(e.status, 502);
    EXPECT_TRUE(e.message.empty());
    EXPECT_TRUE(e.kind.empty());

    const ErrorInfo f = responses().decodeError(401, R"({"error":{"message":"bad key","code":"invalid_api_key"}})");
    EXPECT_EQ(f.kind, "authentication");
}

TEST(ResponsesErrors, NoTokenCounting) {
    EXPECT_EQ(responses().encodeTokenCount(42), "");
    EXPECT_EQ(responses().decodeTokenCount(json(R"({"input_tokens":3})")), -1);
    EXPECT_EQ(responses().format(), Format::Responses);
}

}  // namespace
}  // namespace cpa::proxy::translate
