// Google error bodies and countTokens answers.
#include "gemini_test_helpers.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::translate::gemini_test {
namespace {

TEST(GeminiErrors, EncodeUsesGoogleStatusNames) {
    auto status = [](int code, std::string kind = {}) {
        const Value v = J(codec().encodeError(ErrorInfo{code, "msg", std::move(kind)}));
        EXPECT_EQ(*v.findPath("error.code"), Value(code));
        EXPECT_EQ(*v.findPath("error.message"), Value("msg"));
        return v.findPath("error.status")->asString();
    };
    EXPECT_EQ(status(400), "INVALID_ARGUMENT");
    EXPECT_EQ(status(401), "UNAUTHENTICATED");
    EXPECT_EQ(status(403), "PERMISSION_DENIED");
    EXPECT_EQ(status(404), "NOT_FOUND");
    EXPECT_EQ(status(429), "RESOURCE_EXHAUSTED");
    EXPECT_EQ(status(500), "INTERNAL");
    EXPECT_EQ(status(503), "UNAVAILABLE");
    EXPECT_EQ(status(529), "UNAVAILABLE");
    EXPECT_EQ(status(500, "rate_limit"), "RESOURCE_EXHAUSTED");  // the kind wins over the status
    EXPECT_EQ(J(codec().encodeError(ErrorInfo{400, "bad field", {}})),
              J(R"({"error":{"code":400,"message":"bad field","status":"INVALID_ARGUMENT"}})"));
}

TEST(GeminiErrors, DecodeReadsMessageAndKindAlsoInsideAnArray) {
    ErrorInfo e = codec().decodeError(429, R"({"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}})");
    EXPECT_EQ(e.status, 429);
    EXPECT_EQ(e.message, "Quota exceeded");
    EXPECT_EQ(e.kind, "rate_limit");
    e = codec().decodeError(503, R"([{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}])");
    EXPECT_EQ(e.message, "The model is overloaded.");
    EXPECT_EQ(e.kind, "overloaded");
    EXPECT_EQ(codec().decodeError(401, R"({"error":{"message":"key","status":"UNAUTHENTICATED"}})").kind, "authentication");
    EXPECT_EQ(codec().decodeError(403, R"({"error":{"status":"PERMISSION_DENIED"}})").kind, "permission");
    EXPECT_EQ(codec().decodeError(400, R"({"error":{"status":"FAILED_PRECONDITION","message":"m"}})").kind,
              "invalid_request");
    EXPECT_EQ(codec().decodeError(500, R"({"error":{"status":"INTERNAL","message":"m"}})").kind, "server");
    e = codec().decodeError(502, "<html>bad gateway</html>");
    EXPECT_EQ(e.status, 502);
    EXPECT_EQ(e.message, "");
    EXPECT_EQ(e.kind, "");
}

TEST(GeminiErrors, TokenCounts) {
    EXPECT_EQ(J(codec().encodeTokenCount(42)),
              J(R"({"totalTokens":42,"promptTokensDetails":[{"modality":"TEXT","tokenCount":42}]})"));
    EXPECT_EQ(codec().decodeTokenCount(J(R"({"totalTokens":17,"promptTokensDetails":[]})")), 17);
    EXPECT_EQ(codec().decodeTokenCount(J(R"({"response":{"totalTokens":9}})")), 9);
    EXPECT_EQ(codec().decodeTokenCount(J(R"({"other":1})")), -1);
}

}  // namespace
}  // namespace cpa::proxy::translate::gemini_test
