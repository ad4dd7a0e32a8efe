// streamGenerateContent chunks → canonical events.
#include "translate/no_exchange.hpp"
#include "gemini_test_helpers.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::translate::gemini_test {
namespace {

std::vector<Event> feedAll(StreamDecoder& d, std::initializer_list<std::string_view> payloads, bool end = true) {
    std::vector<Event> out;
    for (std::string_view p : payloads) d.feed(p, out);
    if (end) d.finish(out);
    return out;
}

std::vector<Event::Type> types(const std::vector<Event>& events) {
    std::vector<Event::Type> t;
    for (const Event& e : events) t.push_back(e.type);
    return t;
}

using T = Event::Type;

TEST(GeminiStreamDecoder, TextChunksUsageAndFinish) {
    auto d = codec().streamDecoder(noExchange());
    const auto events = feedAll(*d, {
        R"({"candidates":[{"content":{"role":"model","parts":[{"text":"hé"}]},"index":0}],
            "usageMetadata":{"promptTokenCount":5,"totalTokenCount":5},"modelVersion":"gemini-2.5-flash","responseId":"r1"})",
        R"({"candidates":[{"content":{"role":"model","parts":[{"text":"llo 👋 "},{"text":"世界"}]},"index":0}],
            "usageMetadata":{"promptTokenCount":5,"totalTokenCount":5},"modelVersion":"gemini-2.5-flash","responseId":"r1"})",
        R"({"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP","index":0}],
            "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":4,"thoughtsTokenCount":2,"cachedContentTokenCount":1,"totalTokenCount":11},
            "modelVersion":"gemini-2.5-flash","responseId":"r1"})",
        "[DONE]"});
    EXPECT_EQ(types(events), (std::vector<T>{T::Start, T::TextDelta, T::Usage, T::TextDelta, T::Usage, T::Finish}));
    EXPECT_EQ(events[0].id, "r1");
    EXPECT_EQ(events[0].model, "gemini-2.5-flash");
    EXPECT_EQ(events[1].text, "hé");
    EXPECT_EQ(events[3].text, "llo 👋 世界");  // several parts of one chunk concatenate (spec L16)
    EXPECT_EQ(events[4].usage.input, 5);
    EXPECT_EQ(events[4].usage.output, 6);
    EXPECT_EQ(events[4].usage.reasoning, 2);
    EXPECT_EQ(events[4].usage.cachedInput, 1);
    EXPECT_EQ(events[5].reason, FinishReason::Stop);
}

TEST(GeminiStreamDecoder, ThoughtsAndSignatures) {
    auto d = codec().streamDecoder(noExchange());
    const auto events = feedAll(*d, {
        R"({"candidates":[{"content":{"parts":[{"text":"thinking ","thought":true}]}}]})",
        R"({"candidates":[{"content":{"parts":[{"text":"more","thought":true,"thoughtSignature":"s1"},{"text":"Answer"}]}}]})",
        R"({"candidates":[{"content":{"parts":[{"text":"x","thought":true},{"text":"y","thoughtSignature":"s2"}]},"finishReason":"MAX_TOKENS"}]})"});
    EXPECT_EQ(types(events), (std::vector<T>{T::Start, T::ThinkingDelta, T::ThinkingDelta, T::ThinkingSignature,
                                             T::TextDelta, T::ThinkingDelta, T::ThinkingSignature, T::TextDelta,
                                             T::Finish}));
    EXPECT_EQ(events[2].text, "more");
    EXPECT_EQ(events[3].text, "s1");
    EXPECT_EQ(events[6].text, "s2");  // a signature on the text after the thoughts closes them
    EXPECT_EQ(events[8].reason, FinishReason::Length);
}

TEST(GeminiStreamDecoder, FunctionCallsAreOneStartAndOneDeltaEach) {
    Exchange ex;
    ex.toolNameBack["get_weather_now"] = "get weather/now";
    auto d = codec().streamDecoder(ex);
    const auto events = feedAll(*d, {
        R"({"response":{"candidates":[{"content":{"parts":[{"text":"Checking"}]}}],"responseId":"r2"}})",
        R"({"response":{"candidates":[{"content":{"parts":[
            {"functionCall":{"name":"get_weather_now","args":{"city":"Paris"}},"thoughtSignature":"gs"},
            {"functionCall":{"id":"fc2","name":"noargs"}}]},"finishReason":"STOP"}]}})"});
    EXPECT_EQ(types(events), (std::vector<T>{T::Start, T::TextDelta, T::ToolCallStart, T::ToolCallDelta,
                                             T::ToolCallStart, T::ToolCallDelta, T::Finish}));
    EXPECT_EQ(events[0].id, "r2");
    EXPECT_EQ(events[2].index, 0);
    EXPECT_EQ(events[2].name, "get weather/now");
    EXPECT_EQ(events[2].callId.rfind("call_", 0), 0u);
    EXPECT_EQ(events[2].signature, "gs");
    EXPECT_EQ(J(events[3].text), J(R"({"city":"Paris"})"));
    EXPECT_EQ(events[3].index, 0);
    EXPECT_EQ(events[4].index, 1);
    EXPECT_EQ(events[4].callId, "fc2");
    EXPECT_EQ(events[5].text, "{}");
    EXPECT_EQ(events[6].reason, FinishReason::ToolCalls);
}

TEST(GeminiStreamDecoder, FinishIsSuppliedWhenTheStreamEndsWithoutOne) {
    auto d = codec().streamDecoder(noExchange());
    const auto events = feedAll(*d, {R"({"candidates":[{"content":{"parts":[{"text":"cut"}]}}]})"});
    EXPECT_EQ(types(events), (std::vector<T>{T::Start, T::TextDelta, T::Finish}));
    EXPECT_EQ(events[2].reason, FinishReason::Stop);
    auto empty = codec().streamDecoder(noExchange());
    EXPECT_TRUE(feedAll(*empty, {"[DONE]"}).empty());
}

TEST(GeminiStreamDecoder, BlockedPromptsErrorsAndInvalidJson) {
    auto d = codec().streamDecoder(noExchange());
    auto events = feedAll(*d, {R"({"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"}})"});
    EXPECT_EQ(types(events), (std::vector<T>{T::Start, T::Finish}));
    EXPECT_EQ(events[1].reason, FinishReason::ContentFilter);

    auto e = codec().streamDecoder(noExchange());
    events = feedAll(*e, {R"([{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}])"}, false);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, T::Error);
    EXPECT_EQ(events[0].text, "quota");
    EXPECT_EQ(events[0].index, 429);

    auto bad = codec().streamDecoder(noExchange());
    events = feedAll(*bad, {R"({"candidates":[)"}, false);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, T::Error);
    EXPECT_FALSE(events[0].text.empty());
}

TEST(GeminiStreamDecoder, ARoundTripThroughTheEncoderKeepsTheAnswer) {
    auto d = codec().streamDecoder(noExchange());
    const auto events = feedAll(*d, {
        R"({"candidates":[{"content":{"parts":[{"text":"a"}]}}],"responseId":"rt"})",
        R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{"k":[1,2]}}}]},"finishReason":"STOP"}],
            "usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":3,"totalTokenCount":5}})"});
    Exchange ex;
    ex.clientModel = "m";
    auto enc = codec().streamEncoder(ex);
    std::string out;
    for (const Event& e : events) enc->encode(e, out);
    enc->finish(out);
    const auto chunks = sseChunks(out);
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(*chunks[0].findPath("candidates")->asArray()[0].findPath("content.parts"), J(R"([{"text":"a"}])"));
    const Value& last = chunks[1];
    const Value& fc = *last.findPath("candidates")->asArray()[0].findPath("content.parts")->asArray()[0].find("functionCall");
    EXPECT_EQ(*fc.find("args"), J(R"({"k":[1,2]})"));
    EXPECT_EQ(*last.find("usageMetadata"), J(R"({"promptTokenCount":2,"candidatesTokenCount":3,"totalTokenCount":5})"));
    EXPECT_EQ(last.find("responseId")->asString(), "rt");
}

}  // namespace
}  // namespace cpa::proxy::translate::gemini_test
