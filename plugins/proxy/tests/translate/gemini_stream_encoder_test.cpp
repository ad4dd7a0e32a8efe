// Canonical events → streamGenerateContent chunks for a Gemini client.
#include "translate/no_exchange.hpp"
#include "gemini_test_helpers.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::translate::gemini_test {
namespace {

Event start(std::string id, std::string model) {
    Event e = ev(Event::Type::Start);
    e.id = std::move(id);
    e.model = std::move(model);
    return e;
}

Event toolStart(int index, std::string id, std::string name) {
    Event e = ev(Event::Type::ToolCallStart, {}, index);
    e.callId = std::move(id);
    e.name = std::move(name);
    return e;
}

Event finish(FinishReason r) {
    Event e = ev(Event::Type::Finish);
    e.reason = r;
    return e;
}

Event usage(std::int64_t in, std::int64_t out, std::int64_t reasoning = 0, std::int64_t cached = 0) {
    Event e = ev(Event::Type::Usage);
    e.usage = {true, in, out, cached, 0, reasoning};
    return e;
}

const Value& firstParts(const Value& chunk) { return *chunk.find("candidates")->asArray()[0].findPath("content.parts"); }

TEST(GeminiStreamEncoder, TextChunksAreWrittenAsTheyComeWithUtf8Intact) {
    Exchange ex;
    ex.clientModel = "gemini-2.5-pro";
    auto enc = codec().streamEncoder(ex);
    std::string out;
    enc->encode(start("resp-1", "upstream-model"), out);
    EXPECT_EQ(out, "");  // Gemini has no start event
    enc->encode(ev(Event::Type::TextDelta, "héllo "), out);
    ASSERT_EQ(sseChunks(out).size(), 1u);  // written at once, not held back
    enc->encode(ev(Event::Type::TextDelta, "👋 世界"), out);
    enc->encode(usage(10, 5), out);
    enc->encode(finish(FinishReason::Stop), out);
    enc->finish(out);
    const auto chunks = sseChunks(out);
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(chunks[0], J(R"({"candidates":[{"content":{"role":"model","parts":[{"text":"héllo "}]},"index":0}],
        "modelVersion":"gemini-2.5-pro","responseId":"resp-1"})"));
    EXPECT_EQ(firstParts(chunks[1]), J(R"([{"text":"👋 世界"}])"));
    EXPECT_EQ(chunks[2], J(R"({"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"index":0,
        "finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"totalTokenCount":15},
        "modelVersion":"gemini-2.5-pro","responseId":"resp-1"})"));
    EXPECT_EQ(out.substr(0, 6), "data: ");
}

TEST(GeminiStreamEncoder, ToolCallsAreSentWholeOnceComplete) {
    Exchange ex;
    ex.clientModel = "m";
    auto enc = codec().streamEncoder(ex);
    std::string out;
    enc->encode(ev(Event::Type::TextDelta, "Let me check."), out);
    enc->encode(toolStart(0, "call_a", "get_weather"), out);
    for (const char* piece : {"{\"ci", "ty\":", "\"Par", "is\"}"}) enc->encode(ev(Event::Type::ToolCallDelta, piece, 0), out);
    EXPECT_EQ(sseChunks(out).size(), 1u);  // the call is still open
    enc->encode(toolStart(1, "call_b", "get_time"), out);
    ASSERT_EQ(sseChunks(out).size(), 2u);  // the first call went out when the second started
    EXPECT_EQ(firstParts(sseChunks(out)[1]),
              J(R"([{"functionCall":{"name":"get_weather","args":{"city":"Paris"},"id":"call_a"}}])"));
    enc->encode(ev(Event::Type::ToolCallDelta, "{\"tz\":\"CET\"}", 1), out);
    enc->encode(finish(FinishReason::ToolCalls), out);
    enc->encode(usage(20, 8, 3), out);  // usage after the finish
    enc->finish(out);
    const auto chunks = sseChunks(out);
    ASSERT_EQ(chunks.size(), 4u);
    EXPECT_EQ(firstParts(chunks[2]), J(R"([{"functionCall":{"name":"get_time","args":{"tz":"CET"},"id":"call_b"}}])"));
    EXPECT_EQ(*chunks[2].findPath("candidates")->asArray()[0].find("finishReason"), Value("STOP"));
    EXPECT_FALSE(chunks[2].contains("usageMetadata"));
    EXPECT_EQ(chunks[3], J(R"({"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":5,"totalTokenCount":28,
        "thoughtsTokenCount":3},"modelVersion":"m","responseId":")" + chunks[3].find("responseId")->asString() + "\"}"));
    EXPECT_EQ(chunks[0].find("responseId")->asString(), chunks[3].find("responseId")->asString());
}

TEST(GeminiStreamEncoder, TextAfterACallFlushesItAndThinkingCarriesItsSignature) {
    auto enc = codec().streamEncoder(noExchange());
    std::string out;
    enc->encode(ev(Event::Type::ThinkingDelta, "hmm"), out);
    enc->encode(ev(Event::Type::ThinkingSignature, "sig-1"), out);
    Event call = toolStart(0, "c1", "f");
    call.signature = "gsig";
    enc->encode(call, out);
    enc->encode(ev(Event::Type::ToolCallDelta, "{}", 0), out);
    enc->encode(ev(Event::Type::TextDelta, "done"), out);
    enc->finish(out);  // no Finish: closes with STOP
    const auto chunks = sseChunks(out);
    ASSERT_EQ(chunks.size(), 5u);
    EXPECT_EQ(firstParts(chunks[0]), J(R"([{"text":"hmm","thought":true}])"));
    EXPECT_EQ(firstParts(chunks[1]), J(R"([{"text":"","thought":true,"thoughtSignature":"sig-1"}])"));
    EXPECT_EQ(firstParts(chunks[2]), J(R"([{"functionCall":{"name":"f","args":{},"id":"c1"},"thoughtSignature":"gsig"}])"));
    EXPECT_EQ(firstParts(chunks[3]), J(R"([{"text":"done"}])"));
    EXPECT_EQ(*chunks[4].findPath("candidates")->asArray()[0].find("finishReason"), Value("STOP"));
    EXPECT_EQ(chunks[4].find("modelVersion")->asString(), "");
}

TEST(GeminiStreamEncoder, AltModeWritesRawJsonAndOpenCallsCloseAtFinish) {
    Exchange ex;
    ex.geminiAltMode = true;
    ex.clientModel = "m";
    auto enc = codec().streamEncoder(ex);
    std::string out;
    enc->encode(toolStart(0, "c1", "f"), out);
    enc->encode(ev(Event::Type::ToolCallDelta, R"({"a":1})", 0), out);
    enc->encode(ev(Event::Type::Error, "boom"), out);  // ignored: the executor writes errors
    EXPECT_EQ(out, "");
    enc->finish(out);
    EXPECT_EQ(out.find("data:"), std::string::npos);
    const Value chunk = J(out);
    EXPECT_EQ(firstParts(chunk), J(R"([{"functionCall":{"name":"f","args":{"a":1},"id":"c1"}}])"));
    EXPECT_EQ(*chunk.findPath("candidates")->asArray()[0].find("finishReason"), Value("STOP"));
}

TEST(GeminiStreamEncoder, FinishReasonsImagesAndNoDuplicateFinish) {
    auto enc = codec().streamEncoder(noExchange());
    std::string out;
    Event img = ev(Event::Type::ImageData, "iVBOR");
    img.name = "image/png";
    enc->encode(img, out);
    enc->encode(finish(FinishReason::Length), out);
    enc->encode(finish(FinishReason::Stop), out);
    enc->finish(out);
    const auto chunks = sseChunks(out);
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(firstParts(chunks[0]), J(R"([{"inlineData":{"mimeType":"image/png","data":"iVBOR"}}])"));
    EXPECT_EQ(*chunks[1].findPath("candidates")->asArray()[0].find("finishReason"), Value("MAX_TOKENS"));
}

}  // namespace
}  // namespace cpa::proxy::translate::gemini_test
