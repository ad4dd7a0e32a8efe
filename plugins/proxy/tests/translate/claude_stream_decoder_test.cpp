// A Claude upstream's SSE payloads → canonical events (claude_stream_decoder.cpp).
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::translate {
namespace {

struct Session {
    Exchange ex;
    std::unique_ptr<StreamDecoder> dec;
    explicit Session(std::map<std::string, std::string, std::less<>> names = {}) {
        ex.toolNameBack = std::move(names);
        dec = claudeCodec().streamDecoder(ex);
    }
    std::vector<Event> feed(std::string_view payload) {
        std::vector<Event> out;
        dec->feed(payload, out);
        return out;
    }
    std::vector<Event> end() {
        std::vector<Event> out;
        dec->finish(out);
        return out;
    }
};

TEST(ClaudeStreamDecoder, FullStreamEventByEvent) {
    std::map<std::string, std::string, std::less<>> names;
    names.emplace("files_read", "files.read");
    Session r(std::move(names));
    auto e = r.feed(R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",
        "model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,
        "usage":{"input_tokens":25,"cache_read_input_tokens":10,"cache_creation_input_tokens":0,"output_tokens":1}}})");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].type, Event::Type::Start);
    EXPECT_EQ(e[0].id, "msg_1");
    EXPECT_EQ(e[0].model, "claude-sonnet-4-5");
    EXPECT_EQ(e[1].type, Event::Type::Usage);
    EXPECT_EQ(e[1].usage.input, 35);
    EXPECT_EQ(e[1].usage.cachedInput, 10);
    EXPECT_TRUE(r.feed(R"({"type":"ping"})").empty());

    EXPECT_TRUE(r.feed(R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}})").empty());
    e = r.feed(R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"plan"}})");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].type, Event::Type::ThinkingDelta);
    EXPECT_EQ(e[0].text, "plan");
    e = r.feed(R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}})");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].type, Event::Type::ThinkingSignature);
    EXPECT_EQ(e[0].text, "EqQB");
    EXPECT_TRUE(r.feed(R"({"type":"content_block_stop","index":0})").empty());

    r.feed(R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})");
    e = r.feed(R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"héllo 👋 世界"}})");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].type, Event::Type::TextDelta);
    EXPECT_EQ(e[0].text, "héllo 👋 世界");

    e = r.feed(R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_A","name":"files_read","input":{}}})");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].type, Event::Type::ToolCallStart);
    EXPECT_EQ(e[0].index, 0);
    EXPECT_EQ(e[0].callId, "toolu_A");
    EXPECT_EQ(e[0].name, "files.read");
    std::string args;
    for (const char* piece : {"", "{\"pa", "th\": \"/", "a\"}"}) {
        std::string payload = std::string(R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":)");
        cpa::sdk::appendJsonString(payload, piece);
        payload += "}}";
        for (const Event& d : r.feed(payload)) {
            EXPECT_EQ(d.type, Event::Type::ToolCallDelta);
            EXPECT_EQ(d.index, 0);
            args += d.text;
        }
    }
    EXPECT_EQ(args, "{\"path\": \"/a\"}");
    r.feed(R"({"type":"content_block_stop","index":2})");
    e = r.feed(R"({"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_B","name":"other","input":{}}})");
    EXPECT_EQ(e.at(0).index, 1);
    EXPECT_EQ(e.at(0).name, "other");
    e = r.feed(R"({"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{}"}})");
    EXPECT_EQ(e.at(0).index, 1);

    e = r.feed(R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":40}})");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].type, Event::Type::Finish);
    EXPECT_EQ(e[0].reason, FinishReason::ToolCalls);
    EXPECT_EQ(e[1].type, Event::Type::Usage);
    EXPECT_EQ(e[1].usage.input, 35);  // kept from message_start
    EXPECT_EQ(e[1].usage.output, 40);
    EXPECT_TRUE(r.feed(R"({"type":"message_stop"})").empty());
    EXPECT_TRUE(r.end().empty());  // the Finish was already sent
}

TEST(ClaudeStreamDecoder, MessageDeltaUsageWithCacheCounts) {
    // the original's vector: prompt = 13 + 22000 + 31, completion 4
    Session r;
    const auto e = r.feed(R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},
        "usage":{"input_tokens":13,"output_tokens":4,"cache_read_input_tokens":22000,"cache_creation_input_tokens":31}})");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].reason, FinishReason::Stop);
    EXPECT_EQ(e[1].usage.input, 22044);
    EXPECT_EQ(e[1].usage.cachedInput, 22000);
    EXPECT_EQ(e[1].usage.cacheCreation, 31);
    EXPECT_EQ(e[1].usage.output, 4);
    EXPECT_EQ(e[1].usage.total(), 22048);
}

TEST(ClaudeStreamDecoder, StopSequenceAndMaxTokens) {
    Session r;
    auto e = r.feed(R"({"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END"}})");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].reason, FinishReason::StopSequence);
    EXPECT_EQ(e[0].stopSequence, "END");
    Session m;
    EXPECT_EQ(m.feed(R"({"type":"message_delta","delta":{"stop_reason":"max_tokens"}})").at(0).reason,
              FinishReason::Length);
}

TEST(ClaudeStreamDecoder, InvalidJsonAndUpstreamErrors) {
    Session r;
    auto e = r.feed("{not json");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].type, Event::Type::Error);
    EXPECT_FALSE(e[0].text.empty());
    e = r.feed(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].type, Event::Type::Error);
    EXPECT_EQ(e[0].text, "Overloaded");
    EXPECT_EQ(e[0].index, 529);
    EXPECT_EQ(r.feed(R"({"type":"error","error":{"type":"rate_limit_error","message":"slow"}})").at(0).index, 429);
    EXPECT_TRUE(r.feed("[DONE]").empty());
}

TEST(ClaudeStreamDecoder, CutStreamGetsAFinish) {
    Session r;
    r.feed(R"({"type":"message_start","message":{"id":"m","model":"x","usage":{"input_tokens":1,"output_tokens":0}}})");
    r.feed(R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"f","input":{"a":1}}})");
    const auto e = r.end();
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].type, Event::Type::Finish);
    EXPECT_EQ(e[0].reason, FinishReason::ToolCalls);
    Session empty;
    EXPECT_TRUE(empty.end().empty());
}

TEST(ClaudeStreamDecoder, InputInTheStartBlockBecomesADelta) {
    Session r;
    const auto e = r.feed(
        R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"f","input":{"a":1}}})");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[1].type, Event::Type::ToolCallDelta);
    EXPECT_EQ(e[1].text, R"({"a":1})");
}

}  // namespace
}  // namespace cpa::proxy::translate
