// Canonical events → a Claude client's SSE stream (claude_stream_encoder.cpp).
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::translate {
namespace {

using cpa::sdk::parseJson;
using cpa::sdk::Value;

struct Frame {
    std::string event;
    Value data;
};

/// Splits SSE text into frames; every frame must be `event: X\ndata: {…}\n\n`
/// with X equal to the payload's type.
std::vector<Frame> frames(const std::string& sse) {
    std::vector<Frame> out;
    std::size_t pos = 0;
    while (pos < sse.size()) {
        const std::size_t end = sse.find("\n\n", pos);
        EXPECT_NE(end, std::string::npos) << "unterminated frame: " << sse.substr(pos);
        if (end == std::string::npos) break;
        const std::string f = sse.substr(pos, end - pos);
        const std::size_t nl = f.find('\n');
        EXPECT_EQ(f.rfind("event: ", 0), 0u) << f;
        EXPECT_EQ(f.compare(nl + 1, 6, "data: "), 0) << f;
        Frame fr{f.substr(7, nl - 7), parseJson(f.substr(nl + 7))};
        EXPECT_EQ(*fr.data.find("type"), Value(fr.event));
        out.push_back(std::move(fr));
        pos = end + 2;
    }
    return out;
}

std::vector<std::string> types(const std::vector<Frame>& fs) {
    std::vector<std::string> out;
    for (const Frame& f : fs) {
        std::string t = f.event;
        if (const Value* d = f.data.find("delta"); d && d->find("type")) t += ":" + d->find("type")->asString();
        if (const Value* b = f.data.find("content_block")) t += ":" + b->find("type")->asString();
        if (const Value* i = f.data.find("index")) t += "@" + std::to_string(i->asInt());
        out.push_back(t);
    }
    return out;
}

Event ev(Event::Type type, std::string text = {}, int index = 0) {
    Event e;
    e.type = type;
    e.text = std::move(text);
    e.index = index;
    return e;
}

Event toolStart(int index, std::string id, std::string name) {
    Event e = ev(Event::Type::ToolCallStart, {}, index);
    e.callId = std::move(id);
    e.name = std::move(name);
    return e;
}

Event finishEv(FinishReason r, std::string seq = {}) {
    Event e = ev(Event::Type::Finish);
    e.reason = r;
    e.stopSequence = std::move(seq);
    return e;
}

Event usageEv(std::int64_t in, std::int64_t out, std::int64_t cached = 0) {
    Event e = ev(Event::Type::Usage);
    e.usage.present = true;
    e.usage.input = in;
    e.usage.output = out;
    e.usage.cachedInput = cached;
    return e;
}

struct Session {
    Exchange ex;
    std::unique_ptr<StreamEncoder> enc;
    std::string all;
    Session() {
        ex.clientModel = "claude-client";
        enc = claudeCodec().streamEncoder(ex);
    }
    std::string feed(const Event& e) {
        std::string out;
        enc->encode(e, out);
        all += out;
        return out;
    }
    std::string end() {
        std::string out;
        enc->finish(out);
        all += out;
        return out;
    }
};

TEST(ClaudeStreamEncoder, FullAnswerEventByEvent) {
    Session r;
    Event start = ev(Event::Type::Start);
    start.id = "msg_up";
    start.model = "upstream";
    r.feed(usageEv(50, 0, 20));
    const auto s = frames(r.feed(start));
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].data, parseJson(R"({"type":"message_start","message":{"id":"msg_up","type":"message",
        "role":"assistant","model":"claude-client","content":[],"stop_reason":null,"stop_sequence":null,
        "usage":{"input_tokens":30,"output_tokens":0,"cache_read_input_tokens":20,"cache_creation_input_tokens":0}}})"));
    r.feed(ev(Event::Type::ThinkingDelta, "think"));
    r.feed(ev(Event::Type::ThinkingSignature, "sig=="));
    // text arrives at once, never held back
    const auto t = frames(r.feed(ev(Event::Type::TextDelta, "héllo 👋")));
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[2].data, parseJson(R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"héllo 👋"}})"));
    r.feed(ev(Event::Type::TextDelta, " 世界"));
    r.feed(toolStart(0, "call.1", "get_weather"));
    for (const char* piece : {"{\"ci", "ty\":", "\"Par", "is\"}"}) r.feed(ev(Event::Type::ToolCallDelta, piece, 0));
    r.feed(toolStart(1, "call_2", "get_time"));
    r.feed(ev(Event::Type::ToolCallDelta, "{}", 1));
    r.feed(finishEv(FinishReason::ToolCalls));
    r.feed(usageEv(50, 77, 20));  // usage after Finish still reaches message_delta
    r.end();
    const auto all = frames(r.all);
    EXPECT_EQ(types(all), (std::vector<std::string>{
        "message_start",
        "content_block_start:thinking@0", "content_block_delta:thinking_delta@0", "content_block_delta:signature_delta@0",
        "content_block_stop@0",
        "content_block_start:text@1", "content_block_delta:text_delta@1", "content_block_delta:text_delta@1",
        "content_block_stop@1",
        "content_block_start:tool_use@2", "content_block_delta:input_json_delta@2", "content_block_delta:input_json_delta@2",
        "content_block_delta:input_json_delta@2", "content_block_delta:input_json_delta@2", "content_block_stop@2",
        "content_block_start:tool_use@3", "content_block_delta:input_json_delta@3", "content_block_stop@3",
        "message_delta", "message_stop"}));
    EXPECT_EQ(all[1].data, parseJson(R"({"type":"content_block_start","index":0,
        "content_block":{"type":"thinking","thinking":"","signature":""}})"));
    EXPECT_EQ(*all[3].data.find("delta"), parseJson(R"({"type":"signature_delta","signature":"sig=="})"));
    EXPECT_EQ(*all[9].data.find("content_block"),
              parseJson(R"({"type":"tool_use","id":"call_1","name":"get_weather","input":{}})"));
    std::string args;
    for (int i = 10; i <= 13; ++i) args += all[i].data.findPath("delta.partial_json")->asString();
    EXPECT_EQ(parseJson(args), parseJson(R"({"city":"Paris"})"));
    EXPECT_EQ(all[18].data, parseJson(R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},
        "usage":{"input_tokens":30,"output_tokens":77,"cache_read_input_tokens":20,"cache_creation_input_tokens":0}})"));
}

TEST(ClaudeStreamEncoder, NoStartNoFinishStillAWholeStream) {
    Session r;
    const auto first = frames(r.feed(ev(Event::Type::TextDelta, "hi")));
    ASSERT_EQ(first.size(), 3u);
    EXPECT_EQ(first[0].event, "message_start");
    EXPECT_EQ(first[0].data.findPath("message.id")->asString().rfind("msg_", 0), 0u);
    EXPECT_EQ(*first[0].data.findPath("message.model"), Value("claude-client"));
    const auto last = frames(r.end());
    EXPECT_EQ(types(last), (std::vector<std::string>{"content_block_stop@0", "message_delta", "message_stop"}));
    EXPECT_EQ(*last[1].data.findPath("delta.stop_reason"), Value("end_turn"));
    EXPECT_EQ(*last[1].data.findPath("usage.output_tokens"), Value(0));
    EXPECT_TRUE(r.end().empty());  // finishing twice writes nothing more
    EXPECT_TRUE(r.feed(ev(Event::Type::TextDelta, "late")).empty());
}

TEST(ClaudeStreamEncoder, EmptyAnswerIsClosed) {
    Session r;
    EXPECT_EQ(types(frames(r.end())), (std::vector<std::string>{"message_start", "message_delta", "message_stop"}));
}

TEST(ClaudeStreamEncoder, StopSequenceLengthAndErrorsIgnored) {
    Session r;
    r.feed(ev(Event::Type::TextDelta, "a"));
    EXPECT_TRUE(r.feed(ev(Event::Type::Error, "boom", 500)).empty());
    r.feed(finishEv(FinishReason::StopSequence, "END"));
    const auto last = frames(r.end());
    EXPECT_EQ(*last[0].data.find("delta"), parseJson(R"({"stop_reason":"stop_sequence","stop_sequence":"END"})"));

    Session l;
    l.feed(finishEv(FinishReason::Length));
    EXPECT_EQ(*frames(l.end())[0].data.findPath("delta.stop_reason"), Value("max_tokens"));
}

TEST(ClaudeStreamEncoder, ToolArgumentsWithoutStartAndInterleavedCalls) {
    Session r;
    r.feed(ev(Event::Type::ToolCallDelta, "{\"a\":", 0));  // no ToolCallStart: the block opens anyway
    r.feed(toolStart(1, "c2", "g"));
    r.feed(ev(Event::Type::ToolCallDelta, "1}", 0));  // back to call 0: its own block index
    r.end();
    const auto all = frames(r.all);
    EXPECT_EQ(types(all), (std::vector<std::string>{
        "message_start", "content_block_start:tool_use@0", "content_block_delta:input_json_delta@0",
        "content_block_stop@0", "content_block_start:tool_use@1", "content_block_delta:input_json_delta@0",
        "content_block_stop@1", "message_delta", "message_stop"}));
    EXPECT_EQ(all[1].data.findPath("content_block.id")->asString().rfind("toolu_", 0), 0u);
    EXPECT_EQ(*all[7].data.findPath("delta.stop_reason"), Value("tool_use"));
}

TEST(ClaudeStreamEncoder, SignatureWithoutThinkingTextOpensAThinkingBlock) {
    Session r;
    r.feed(ev(Event::Type::ThinkingSignature, "enc"));
    r.feed(ev(Event::Type::TextDelta, "x"));
    r.end();
    EXPECT_EQ(types(frames(r.all)), (std::vector<std::string>{
        "message_start", "content_block_start:thinking@0", "content_block_delta:signature_delta@0",
        "content_block_stop@0", "content_block_start:text@1", "content_block_delta:text_delta@1",
        "content_block_stop@1", "message_delta", "message_stop"}));
}

}  // namespace
}  // namespace cpa::proxy::translate
