// The chat codec's errors, both directions, and its (absent) token counts.
#include "translate/chat_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace chattest;

TEST(ChatErrors, EncodeUsesOpenAIsShapeAndTypes) {
    const std::pair<ErrorInfo, const char*> table[] = {
        {{400, "bad", ""}, "invalid_request_error"},
        {{401, "who", ""}, "authentication_error"},
        {{403, "no", ""}, "permission_error"},
        {{404, "gone", ""}, "not_found_error"},
        {{429, "slow", ""}, "rate_limit_error"},
        {{503, "busy", ""}, "server_error"},
        {{500, "oops", ""}, "server_error"},
        {{500, "explicit kind", "rate_limit"}, "rate_limit_error"},
        {{529, "overloaded", "overloaded"}, "server_error"},
    };
    for (const auto& [info, type] : table) {
        const auto body = json(codec().encodeError(info));
        EXPECT_EQ(str(body, "error.message"), info.message);
        EXPECT_EQ(str(body, "error.type"), type) << info.message;
        EXPECT_TRUE(at(body, "error.param")->isNull());
        EXPECT_TRUE(at(body, "error.code")->isNull());
    }
}

TEST(ChatErrors, DecodeReadsOpenAIErrorBodies) {
    ErrorInfo e = codec().decodeError(429, R"({"error":{"message":"Rate limit reached for gpt-4o","type":"requests","code":"rate_limit_exceeded"}})");
    EXPECT_EQ(e.status, 429);
    EXPECT_EQ(e.message, "Rate limit reached for gpt-4o");
    EXPECT_EQ(e.kind, "rate_limit");
    e = codec().decodeError(401, R"({"error":{"message":"Incorrect API key","type":"invalid_request_error","code":"invalid_api_key"}})");
    EXPECT_EQ(e.kind, "authentication");  // the code is finer than the type
    e = codec().decodeError(500, R"({"error":{"message":"boom","type":"server_error"}})");
    EXPECT_EQ(e.kind, "server");
    e = codec().decodeError(400, R"({"error":"plain words"})");
    EXPECT_EQ(e.message, "plain words");
    EXPECT_EQ(e.kind, "");
    e = codec().decodeError(400, R"([{"error":{"message":"wrapped","type":"invalid_request_error"}}])");
    EXPECT_EQ(e.message, "wrapped");
    EXPECT_EQ(e.kind, "invalid_request");
}

TEST(ChatErrors, OtherBodiesGiveTheStatusAlone) {
    for (const char* body : {"<html>Bad gateway</html>", "", R"({"message":"not ours"})", "[]"}) {
        const ErrorInfo e = codec().decodeError(502, body);
        EXPECT_EQ(e.status, 502);
        EXPECT_EQ(e.message, "") << body;
        EXPECT_EQ(e.kind, "") << body;
    }
}

TEST(ChatErrors, NoTokenCountEndpoint) {
    EXPECT_EQ(codec().format(), Format::OpenAIChat);
    EXPECT_EQ(codec().encodeTokenCount(42), "");
    EXPECT_EQ(codec().decodeTokenCount(json(R"({"input_tokens":42})")), -1);
}

}  // namespace
}  // namespace cpa::proxy::translate
