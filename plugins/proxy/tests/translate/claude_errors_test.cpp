// Error bodies and token counts, both directions (claude_errors.cpp).
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::translate {
namespace {

using cpa::sdk::parseJson;
using cpa::sdk::Value;

TEST(ClaudeErrors, EncodeByKindAndStatus) {
    const auto type = [](ErrorInfo e) {
        const Value v = parseJson(claudeCodec().encodeError(e));
        EXPECT_EQ(*v.find("type"), Value("error"));
        return v.findPath("error.type")->asString();
    };
    EXPECT_EQ(type({400, "bad", ""}), "invalid_request_error");
    EXPECT_EQ(type({401, "who", ""}), "authentication_error");
    EXPECT_EQ(type({403, "no", ""}), "permission_error");
    EXPECT_EQ(type({404, "gone", ""}), "not_found_error");
    EXPECT_EQ(type({429, "slow", ""}), "rate_limit_error");
    EXPECT_EQ(type({529, "busy", ""}), "overloaded_error");
    EXPECT_EQ(type({500, "oops", ""}), "api_error");
    EXPECT_EQ(type({500, "busy", "overloaded"}), "overloaded_error");
    EXPECT_EQ(parseJson(claudeCodec().encodeError({400, "messages must be an array", ""})),
              parseJson(R"({"type":"error","error":{"type":"invalid_request_error","message":"messages must be an array"}})"));
    EXPECT_FALSE(parseJson(claudeCodec().encodeError({502, "", ""})).findPath("error.message")->asString().empty());
}

TEST(ClaudeErrors, DecodeUpstreamBodies) {
    const ErrorInfo e = claudeCodec().decodeError(
        529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
    EXPECT_EQ(e.status, 529);
    EXPECT_EQ(e.message, "Overloaded");
    EXPECT_EQ(e.kind, "overloaded");
    EXPECT_EQ(claudeCodec().decodeError(429, R"({"type":"error","error":{"type":"rate_limit_error","message":"x"}})").kind,
              "rate_limit");
    EXPECT_EQ(claudeCodec().decodeError(413, R"({"type":"error","error":{"type":"request_too_large","message":"x"}})").kind,
              "invalid_request");
    const ErrorInfo plain = claudeCodec().decodeError(502, "<html>bad gateway</html>");
    EXPECT_EQ(plain.status, 502);
    EXPECT_TRUE(plain.message.empty());
    EXPECT_TRUE(plain.kind.empty());
}

TEST(ClaudeTokenCount, BothDirections) {
    EXPECT_EQ(claudeCodec().encodeTokenCount(42), R"({"input_tokens":42})");
    EXPECT_EQ(claudeCodec().decodeTokenCount(parseJson(R"({"input_tokens":1234})")), 1234);
    EXPECT_EQ(claudeCodec().decodeTokenCount(parseJson(R"({"totalTokens":5})")), -1);
}

}  // namespace
}  // namespace cpa::proxy::translate
