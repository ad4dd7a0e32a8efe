// Non-stream answers: canonical Reply ↔ GenerateContentResponse.
#include "gemini_test_helpers.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::translate::gemini_test {
namespace {

Reply decodeReply(std::string_view body, const Exchange& ex = {}) { return codec().decodeReply(J(body), ex); }

TEST(GeminiReplyDecode, TextThoughtsUsageAndIds) {
    const Reply r = decodeReply(R"j({"candidates":[{"content":{"role":"model","parts":[
        {"text":"Let me ","thought":true},{"text":"think.","thought":true,"thoughtSignature":"sig-A"},
        {"text":"Hello "},{"text":"world"}]},"finishReason":"STOP","index":0}],
        "usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"thoughtsTokenCount":30,
                         "cachedContentTokenCount":40,"totalTokenCount":150},
        "modelVersion":"gemini-2.5-pro","responseId":"resp-1","createTime":"2025-08-15T02:52:03.884209Z"})j");
    EXPECT_EQ(r.id, "resp-1");
    EXPECT_EQ(r.model, "gemini-2.5-pro");
    EXPECT_EQ(r.created, 1755226323);
    ASSERT_EQ(r.parts.size(), 2u);
    EXPECT_EQ(r.parts[0].kind, Part::Kind::Thinking);
    EXPECT_EQ(r.parts[0].text, "Let me think.");
    EXPECT_EQ(r.parts[0].signature, "sig-A");
    EXPECT_EQ(r.parts[1].kind, Part::Kind::Text);
    EXPECT_EQ(r.parts[1].text, "Hello world");
    EXPECT_EQ(r.finish, FinishReason::Stop);
    EXPECT_TRUE(r.usage.present);
    EXPECT_EQ(r.usage.input, 100);
    EXPECT_EQ(r.usage.output, 50);  // candidates + thoughts
    EXPECT_EQ(r.usage.reasoning, 30);
    EXPECT_EQ(r.usage.cachedInput, 40);
}

TEST(GeminiReplyDecode, FunctionCallsRestoreNamesAndForceToolCalls) {
    Exchange ex;
    ex.toolNameBack["get_weather_now"] = "get weather/now";
    const Reply r = decodeReply(R"j({"response":{"candidates":[{"content":{"role":"model","parts":[
        {"text":"Checking."},
        {"functionCall":{"name":"get_weather_now","args":{"city":"Paris"}},"thoughtSignature":"call-sig"},
        {"functionCall":{"id":"fc-2","name":"noargs"}}]},"finishReason":"STOP"}]}})j", ex);
    ASSERT_EQ(r.parts.size(), 3u);
    EXPECT_EQ(r.parts[1].kind, Part::Kind::ToolCall);
    EXPECT_EQ(r.parts[1].name, "get weather/now");
    EXPECT_EQ(r.parts[1].callId.rfind("call_", 0), 0u);
    EXPECT_EQ(J(r.parts[1].arguments), J(R"({"city":"Paris"})"));
    EXPECT_EQ(r.parts[1].signature, "call-sig");
    EXPECT_EQ(r.parts[2].callId, "fc-2");
    EXPECT_EQ(r.parts[2].arguments, "{}");
    EXPECT_EQ(r.finish, FinishReason::ToolCalls);
    EXPECT_FALSE(r.usage.present);
}

TEST(GeminiReplyDecode, FinishReasons) {
    auto finish = [](std::string_view reason) {
        return decodeReply(std::string(R"({"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":")") +
                           std::string(reason) + "\"}]}")
            .finish;
    };
    EXPECT_EQ(finish("STOP"), FinishReason::Stop);
    EXPECT_EQ(finish("MAX_TOKENS"), FinishReason::Length);
    for (auto r : {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"})
        EXPECT_EQ(finish(r), FinishReason::ContentFilter) << r;
    EXPECT_EQ(finish("OTHER"), FinishReason::Stop);
}

TEST(GeminiReplyDecode, ABlockedPromptIsAContentFilterWithNoParts) {
    const Reply r = decodeReply(R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7}})");
    EXPECT_TRUE(r.parts.empty());
    EXPECT_EQ(r.finish, FinishReason::ContentFilter);
    EXPECT_EQ(r.usage.input, 7);
}

TEST(GeminiReplyDecode, ImagesAndCodeExecution) {
    const Reply r = decodeReply(R"j({"candidates":[{"content":{"parts":[
        {"inlineData":{"mimeType":"image/png","data":"iVBOR"}},
        {"executableCode":{"language":"PYTHON","code":"print(2+2)"}},
        {"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"4\n"}}]},"finishReason":"STOP"}]})j");
    ASSERT_EQ(r.parts.size(), 2u);
    EXPECT_EQ(r.parts[0].kind, Part::Kind::Image);
    EXPECT_EQ(r.parts[0].data, "iVBOR");
    EXPECT_EQ(r.parts[1].text, "\n```python\nprint(2+2)\n```\n\n```\n4\n\n```\n");
}

TEST(GeminiReplyDecode, NonAnswersAreRefused) {
    EXPECT_THROW(decodeReply(R"([1])"), TranslateError);
    EXPECT_THROW(decodeReply(R"({"foo":1})"), TranslateError);
    EXPECT_THROW(decodeReply(R"({"error":{"code":400,"message":"bad"}})"), TranslateError);
}

TEST(GeminiReplyEncode, FullAnswer) {
    Reply r;
    r.id = "resp-9";
    r.model = "claude-sonnet";
    Part thinking;
    thinking.kind = Part::Kind::Thinking;
    thinking.text = "hmm";
    thinking.signature = "sig";
    Part call;
    call.kind = Part::Kind::ToolCall;
    call.callId = "toolu_1";
    call.name = "lookup";
    call.arguments = R"({"q":"x"})";
    r.parts = {thinking, Part::textPart("Answer."), call};
    r.finish = FinishReason::ToolCalls;
    r.usage = {true, 100, 50, 40, 0, 30};
    Exchange ex;
    ex.clientModel = "gemini-2.5-pro";
    EXPECT_EQ(J(codec().encodeReply(r, ex)), J(R"({"candidates":[{"content":{"role":"model","parts":[
        {"text":"hmm","thought":true,"thoughtSignature":"sig"},{"text":"Answer."},
        {"functionCall":{"name":"lookup","args":{"q":"x"},"id":"toolu_1"}}]},"finishReason":"STOP","index":0}],
        "usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"totalTokenCount":150,
                         "thoughtsTokenCount":30,"cachedContentTokenCount":40},
        "modelVersion":"gemini-2.5-pro","responseId":"resp-9"})"));
}

TEST(GeminiReplyEncode, FinishReasonsAndNoUsage) {
    auto finish = [](FinishReason f) {
        Reply r;
        r.parts = {Part::textPart("x")};
        r.finish = f;
        const Value v = J(codec().encodeReply(r, Exchange{}));
        EXPECT_FALSE(v.contains("usageMetadata"));
        EXPECT_FALSE(v.find("responseId")->asString().empty());
        return v.findPath("candidates")->asArray()[0].find("finishReason")->asString();
    };
    EXPECT_EQ(finish(FinishReason::Stop), "STOP");
    EXPECT_EQ(finish(FinishReason::Unset), "STOP");
    EXPECT_EQ(finish(FinishReason::StopSequence), "STOP");
    EXPECT_EQ(finish(FinishReason::Length), "MAX_TOKENS");
    EXPECT_EQ(finish(FinishReason::ContentFilter), "SAFETY");
    EXPECT_EQ(finish(FinishReason::Refusal), "SAFETY");
}

TEST(GeminiReplyEncode, RoundTripThroughDecode) {
    const Reply r = decodeReply(R"({"candidates":[{"content":{"parts":[{"text":"héllo 👋 世界"}]},"finishReason":"MAX_TOKENS"}],
        "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,"totalTokenCount":7},"responseId":"id1"})");
    Exchange ex;
    ex.clientModel = "m";
    EXPECT_EQ(J(codec().encodeReply(r, ex)), J(R"({"candidates":[{"content":{"role":"model","parts":[{"text":"héllo 👋 世界"}]},
        "finishReason":"MAX_TOKENS","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,
        "totalTokenCount":7},"modelVersion":"m","responseId":"id1"})"));
}

}  // namespace
}  // namespace cpa::proxy::translate::gemini_test
