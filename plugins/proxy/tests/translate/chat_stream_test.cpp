// The chat codec's streams: canonical events → client chunks, and upstream chunks → events.
#include "translate/no_exchange.hpp"
#include "translate/chat_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace chattest;
using cpa::sdk::Value;
using T = Event::Type;

Event ev(T type, std::string text = {}, int index = 0) {
    Event e;
    e.type = type;
    e.text = std::move(text);
    e.index = index;
    return e;
}
Event toolStart(int index, std::string id, std::string name) {
    Event e = ev(T::ToolCallStart, {}, index);
    e.callId = std::move(id);
    e.name = std::move(name);
    return e;
}
Event finishEv(FinishReason r) {
    Event e = ev(T::Finish);
    e.reason = r;
    return e;
}
Event usageEv(Usage u) {
    Event e = ev(T::Usage);
    e.usage = u;
    return e;
}

struct Encoded {
    std::vector<std::string> raw;
    std::vector<Value> chunks;  // parsed, [DONE] excluded
    bool done{};
};
Encoded parseOut(const std::string& out) {
    Encoded e;
    e.raw = frames(out);
    for (const std::string& f : e.raw) {
        if (f == "[DONE]") e.done = true;
        else e.chunks.push_back(json(f));
    }
    return e;
}

TEST(ChatStreamEncoder, FullAnswerEventByEvent) {
    Exchange ex;
    ex.clientModel = "client-model";
    auto enc = codec().streamEncoder(ex);
    std::string out;
    Event start = ev(T::Start);
    start.id = "chatcmpl-up";
    start.model = "upstream";
    enc->encode(start, out);
    const auto afterStart = parseOut(out);
    ASSERT_EQ(afterStart.chunks.size(), 1u);  // written at once, not held
    EXPECT_EQ(str(afterStart.chunks[0], "choices.0.delta.role"), "assistant");
    EXPECT_TRUE(at(afterStart.chunks[0], "choices.0.finish_reason")->isNull());

    enc->encode(ev(T::ThinkingDelta, "think"), out);
    enc->encode(ev(T::ThinkingSignature, "sig"), out);  // no place in chat: nothing
    enc->encode(ev(T::TextDelta, "héllo 👋 "), out);
    enc->encode(ev(T::TextDelta, "世界"), out);
    enc->encode(toolStart(0, "call_1", "get_weather"), out);
    for (const char* piece : {"{\"ci", "ty\":\"Pa", "ris\"}"}) enc->encode(ev(T::ToolCallDelta, piece, 0), out);
    enc->encode(ev(T::Error, "ignored"), out);
    enc->encode(finishEv(FinishReason::ToolCalls), out);
    enc->encode(usageEv(Usage{true, 100, 30, 60, 0, 12}), out);  // after Finish
    enc->finish(out);

    const auto e = parseOut(out);
    ASSERT_EQ(e.chunks.size(), 10u) << out;
    EXPECT_TRUE(e.done);
    EXPECT_EQ(e.raw.back(), "[DONE]");
    for (const Value& c : e.chunks) {
        EXPECT_EQ(str(c, "id"), "chatcmpl-up");
        EXPECT_EQ(str(c, "object"), "chat.completion.chunk");
        EXPECT_EQ(str(c, "model"), "client-model");
        EXPECT_EQ(num(c, "created"), num(e.chunks[0], "created"));
    }
    EXPECT_EQ(str(e.chunks[1], "choices.0.delta.reasoning_content"), "think");
    EXPECT_EQ(at(e.chunks[1], "choices.0.delta.role"), nullptr);  // only the first chunk has the role
    EXPECT_EQ(str(e.chunks[2], "choices.0.delta.content"), "héllo 👋 ");
    EXPECT_EQ(str(e.chunks[3], "choices.0.delta.content"), "世界");
    const Value& startChunk = e.chunks[4];
    EXPECT_EQ(num(startChunk, "choices.0.delta.tool_calls.0.index"), 0);
    EXPECT_EQ(str(startChunk, "choices.0.delta.tool_calls.0.id"), "call_1");
    EXPECT_EQ(str(startChunk, "choices.0.delta.tool_calls.0.type"), "function");
    EXPECT_EQ(str(startChunk, "choices.0.delta.tool_calls.0.function.name"), "get_weather");
    EXPECT_EQ(str(startChunk, "choices.0.delta.tool_calls.0.function.arguments"), "");
    std::string args;
    for (int i = 5; i < 8; ++i) {
        const Value* delta = at(e.chunks[i], "choices.0.delta");
        EXPECT_EQ(delta->find("content"), nullptr);
        EXPECT_EQ(delta->find("reasoning_content"), nullptr);
        EXPECT_EQ(num(*delta, "tool_calls.0.index"), 0);
        EXPECT_EQ(at(*delta, "tool_calls.0.id"), nullptr);
        args += str(*delta, "tool_calls.0.function.arguments");
    }
    EXPECT_EQ(args, R"({"city":"Paris"})");
    EXPECT_EQ(str(e.chunks[8], "choices.0.finish_reason"), "tool_calls");
    EXPECT_EQ(at(e.chunks[8], "choices.0.delta")->size(), 0u);
    const Value& usage = e.chunks[9];
    EXPECT_EQ(at(usage, "choices")->size(), 0u);
    EXPECT_EQ(num(usage, "usage.prompt_tokens"), 100);
    EXPECT_EQ(num(usage, "usage.completion_tokens"), 30);
    EXPECT_EQ(num(usage, "usage.total_tokens"), 130);
    EXPECT_EQ(num(usage, "usage.prompt_tokens_details.cached_tokens"), 60);
    EXPECT_EQ(num(usage, "usage.completion_tokens_details.reasoning_tokens"), 12);
}

TEST(ChatStreamEncoder, WithoutStartTheFirstChunkCarriesTheRole) {
    Exchange ex;
    ex.clientModel = "m";
    auto enc = codec().streamEncoder(ex);
    std::string out;
    enc->encode(ev(T::TextDelta, "hi"), out);
    const auto first = parseOut(out);
    ASSERT_EQ(first.chunks.size(), 1u);
    EXPECT_EQ(str(first.chunks[0], "choices.0.delta.role"), "assistant");
    EXPECT_EQ(str(first.chunks[0], "choices.0.delta.content"), "hi");
    EXPECT_EQ(str(first.chunks[0], "id").rfind("chatcmpl-", 0), 0u);
    EXPECT_EQ(str(first.chunks[0], "model"), "m");
}

TEST(ChatStreamEncoder, NoFinishClosesWithANormalStop) {
    auto enc = codec().streamEncoder(noExchange());
    std::string out;
    enc->encode(ev(T::TextDelta, "x"), out);
    enc->finish(out);
    const auto e = parseOut(out);
    ASSERT_EQ(e.chunks.size(), 2u);
    EXPECT_EQ(str(e.chunks[1], "choices.0.finish_reason"), "stop");
    EXPECT_TRUE(e.done);

    // A stream of calls that never said why it ended: tool_calls.
    auto enc2 = codec().streamEncoder(noExchange());
    std::string out2;
    enc2->encode(toolStart(0, "call_1", "f"), out2);
    enc2->finish(out2);
    EXPECT_EQ(str(parseOut(out2).chunks.back(), "choices.0.finish_reason"), "tool_calls");

    // Nothing at all: still a well-formed, terminated stream.
    auto enc3 = codec().streamEncoder(noExchange());
    std::string out3;
    enc3->finish(out3);
    const auto e3 = parseOut(out3);
    ASSERT_EQ(e3.chunks.size(), 1u);
    EXPECT_EQ(str(e3.chunks[0], "choices.0.finish_reason"), "stop");
    EXPECT_TRUE(e3.done);
}

TEST(ChatStreamEncoder, SeveralToolCallsKeepTheirIndexes) {
    auto enc = codec().streamEncoder(noExchange());
    std::string out;
    enc->encode(toolStart(0, "call_a", "a"), out);
    enc->encode(ev(T::ToolCallDelta, "{\"x\":", 0), out);
    enc->encode(toolStart(1, "call_b", "b"), out);
    enc->encode(ev(T::ToolCallDelta, "1}", 0), out);
    enc->encode(ev(T::ToolCallDelta, "{}", 1), out);
    enc->encode(finishEv(FinishReason::Stop), out);
    enc->encode(finishEv(FinishReason::Stop), out);  // a repeated Finish writes nothing
    enc->finish(out);
    const auto e = parseOut(out);
    ASSERT_EQ(e.chunks.size(), 6u);
    EXPECT_EQ(str(e.chunks[0], "choices.0.delta.tool_calls.0.id"), "call_a");
    EXPECT_EQ(num(e.chunks[2], "choices.0.delta.tool_calls.0.index"), 1);
    EXPECT_EQ(str(e.chunks[2], "choices.0.delta.tool_calls.0.id"), "call_b");
    EXPECT_EQ(num(e.chunks[3], "choices.0.delta.tool_calls.0.index"), 0);
    EXPECT_EQ(num(e.chunks[4], "choices.0.delta.tool_calls.0.index"), 1);
    EXPECT_EQ(str(e.chunks[5], "choices.0.finish_reason"), "tool_calls");
}

TEST(ChatStreamEncoder, UsageBeforeFinishIsWrittenOnceAtTheEnd) {
    auto enc = codec().streamEncoder(noExchange());
    std::string out;
    enc->encode(usageEv(Usage{true, 5, 1, 0, 0, 0}), out);
    enc->encode(ev(T::TextDelta, "x"), out);
    enc->encode(usageEv(Usage{true, 5, 2, 0, 0, 0}), out);  // the latest wins
    enc->encode(finishEv(FinishReason::Length), out);
    enc->finish(out);
    const auto e = parseOut(out);
    ASSERT_EQ(e.chunks.size(), 3u);
    EXPECT_EQ(str(e.chunks[1], "choices.0.finish_reason"), "length");
    EXPECT_EQ(num(e.chunks[2], "usage.completion_tokens"), 2);
}

// ---- decoder ----------------------------------------------------------------

std::vector<Event> feedAll(StreamDecoder& d, std::initializer_list<std::string_view> payloads, bool end = true) {
    std::vector<Event> out;
    for (std::string_view p : payloads) d.feed(p, out);
    if (end) d.finish(out);
    return out;
}

TEST(ChatStreamDecoder, TextStreamWithUsageChunk) {
    auto dec = codec().streamDecoder(noExchange());
    const auto events = feedAll(*dec, {
        R"({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})",
        R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"héllo 👋"},"finish_reason":null}]})",
        R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":" 世界"},"finish_reason":null}]})",
        R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null})",
        R"({"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":1}}})",
        "[DONE]"});
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(events[0].type, T::Start);
    EXPECT_EQ(events[0].id, "chatcmpl-1");
    EXPECT_EQ(events[0].model, "gpt-4o");
    EXPECT_EQ(events[1].type, T::TextDelta);
    EXPECT_EQ(events[1].text, "héllo 👋");
    EXPECT_EQ(events[2].text, " 世界");
    EXPECT_EQ(events[3].type, T::Finish);
    EXPECT_EQ(events[3].reason, FinishReason::Stop);
    EXPECT_EQ(events[4].type, T::Usage);
    EXPECT_TRUE(events[4].usage.present);
    EXPECT_EQ(events[4].usage.input, 9);
    EXPECT_EQ(events[4].usage.output, 4);
    EXPECT_EQ(events[4].usage.cachedInput, 2);
    EXPECT_EQ(events[4].usage.reasoning, 1);
}

TEST(ChatStreamDecoder, ToolCallArgumentsSplitAcrossChunksForTwoCalls) {
    Exchange ex;
    ex.toolNameBack = {{"get_weather_x", "get.weather"}};
    auto dec = codec().streamDecoder(ex);
    const auto events = feedAll(*dec, {
        R"({"choices":[{"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather_x","arguments":""}}]}}]})",
        R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}}]})",
        R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Pa"}}]}}]})",
        R"({"choices":[{"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"noop","arguments":"{"}}]}}]})",
        R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ris\"}"}}]}}]})",
        R"({"choices":[{"delta":{"tool_calls":[{"index":1,"function":{"arguments":"}"}}]}}]})",
        R"({"choices":[{"delta":{},"finish_reason":"tool_calls"}]})"});
    std::vector<T> types;
    for (const Event& e : events) types.push_back(e.type);
    EXPECT_EQ(types, (std::vector<T>{T::Start, T::ToolCallStart, T::ToolCallDelta, T::ToolCallDelta, T::ToolCallStart,
                                     T::ToolCallDelta, T::ToolCallDelta, T::ToolCallDelta, T::Finish}));
    EXPECT_EQ(events[1].index, 0);
    EXPECT_EQ(events[1].callId, "call_a");
    EXPECT_EQ(events[1].name, "get.weather");
    EXPECT_EQ(events[4].index, 1);
    EXPECT_EQ(events[4].callId, "call_b");
    EXPECT_EQ(events[4].name, "noop");
    std::string a, b;
    for (const Event& e : events)
        if (e.type == T::ToolCallDelta) (e.index == 0 ? a : b) += e.text;
    EXPECT_EQ(a, R"({"city":"Paris"})");
    EXPECT_EQ(b, "{}");
    EXPECT_EQ(events.back().reason, FinishReason::ToolCalls);
}

TEST(ChatStreamDecoder, ReasoningDeltasAndTheReasoningKey) {
    auto dec = codec().streamDecoder(noExchange());
    const auto events = feedAll(*dec, {
        R"({"choices":[{"delta":{"reasoning_content":"step 1"}}]})",
        R"({"choices":[{"delta":{"reasoning":"step 2"}}]})",
        R"({"choices":[{"delta":{"content":"answer"},"finish_reason":"length"}]})"});
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(events[1].type, T::ThinkingDelta);
    EXPECT_EQ(events[1].text, "step 1");
    EXPECT_EQ(events[2].type, T::ThinkingDelta);
    EXPECT_EQ(events[2].text, "step 2");
    EXPECT_EQ(events[3].type, T::TextDelta);
    EXPECT_EQ(events[4].reason, FinishReason::Length);
}

TEST(ChatStreamDecoder, InvalidJsonIsOneErrorAndNothingMore) {
    auto dec = codec().streamDecoder(noExchange());
    const auto events = feedAll(*dec, {"{not json", R"({"choices":[{"delta":{"content":"late"}}]})"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, T::Error);
    EXPECT_FALSE(events[0].text.empty());
}

TEST(ChatStreamDecoder, AnUpstreamErrorObjectBecomesAnErrorEvent) {
    auto dec = codec().streamDecoder(noExchange());
    auto events = feedAll(*dec, {R"({"choices":[{"delta":{"content":"a"}}]})",
                                 R"({"error":{"message":"Rate limit reached","type":"rate_limit_error","code":null}})"});
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[2].type, T::Error);
    EXPECT_EQ(events[2].text, "Rate limit reached");
    EXPECT_EQ(events[2].index, 429);

    auto dec2 = codec().streamDecoder(noExchange());
    events = feedAll(*dec2, {R"({"error":{"message":"bad","code":400}})"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].index, 400);
    auto dec3 = codec().streamDecoder(noExchange());
    events = feedAll(*dec3, {R"({"error":{"message":"odd","type":"whatever"}})"});
    EXPECT_EQ(events[0].index, 0);
}

TEST(ChatStreamDecoder, AStreamWithoutFinishReasonIsClosedByFinish) {
    auto dec = codec().streamDecoder(noExchange());
    auto events = feedAll(*dec, {R"({"choices":[{"delta":{"content":"a"},"finish_reason":null}]})", "[DONE]"});
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[2].type, T::Finish);
    EXPECT_EQ(events[2].reason, FinishReason::Stop);

    auto dec2 = codec().streamDecoder(noExchange());
    events = feedAll(*dec2, {R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{}"}}]}}]})"});
    EXPECT_EQ(events.back().reason, FinishReason::ToolCalls);

    auto dec3 = codec().streamDecoder(noExchange());
    EXPECT_TRUE(feedAll(*dec3, {"[DONE]"}).empty());  // nothing seen, nothing invented
}

TEST(ChatStreamDecoder, CallsWithoutIdsOrWithLateNamesAndReusedIndexes) {
    auto dec = codec().streamDecoder(noExchange());
    const auto events = feedAll(*dec, {
        // arguments before the name: held until the name arrives
        R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\""}}]}}]})",
        R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":":1}"}}]}}]})",
        // a server that says index 0 for every call but gives each its own id
        R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_x","function":{"name":"g","arguments":"{}"}}]}}]})",
        R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_y","function":{"name":"h","arguments":"{}"}}]}}]})"});
    std::vector<const Event*> starts;
    for (const Event& e : events)
        if (e.type == T::ToolCallStart) starts.push_back(&e);
    ASSERT_EQ(starts.size(), 3u);
    EXPECT_EQ(starts[0]->name, "f");
    EXPECT_EQ(starts[0]->callId.rfind("call_", 0), 0u);  // minted
    EXPECT_EQ(starts[0]->index, 0);
    EXPECT_EQ(starts[1]->name, "g");
    EXPECT_EQ(starts[1]->index, 1);
    EXPECT_EQ(starts[1]->callId, "call_x");
    EXPECT_EQ(starts[2]->callId, "call_y");
    EXPECT_EQ(starts[2]->index, 2);
    std::string first;
    for (const Event& e : events)
        if (e.type == T::ToolCallDelta && e.index == 0) first += e.text;
    EXPECT_EQ(first, R"({"a":1})");
}

TEST(ChatStreamDecoder, DecoderFeedsTheEncoderEndToEnd) {
    auto dec = codec().streamDecoder(noExchange());
    Exchange ex;
    ex.clientModel = "client";
    auto enc = codec().streamEncoder(ex);
    std::vector<Event> events;
    for (std::string_view p : std::initializer_list<std::string_view>{
             R"({"id":"x","choices":[{"delta":{"role":"assistant","content":""}}]})",
             R"({"id":"x","choices":[{"delta":{"content":"hi"}}]})",
             R"({"id":"x","choices":[{"delta":{},"finish_reason":"stop"}]})",
             R"({"id":"x","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}})",
             "[DONE]"})
        dec->feed(p, events);
    dec->finish(events);
    std::string out;
    for (const Event& e : events) enc->encode(e, out);
    enc->finish(out);
    const auto e = parseOut(out);
    ASSERT_EQ(e.chunks.size(), 4u);
    EXPECT_EQ(str(e.chunks[1], "choices.0.delta.content"), "hi");
    EXPECT_EQ(str(e.chunks[2], "choices.0.finish_reason"), "stop");
    EXPECT_EQ(num(e.chunks[3], "usage.total_tokens"), 2);
    EXPECT_TRUE(e.done);
}

}  // namespace
}  // namespace cpa::proxy::translate
