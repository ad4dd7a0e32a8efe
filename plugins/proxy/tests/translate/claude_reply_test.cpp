// Non-stream answers, both directions (claude_reply.cpp).
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::translate {
namespace {

using cpa::sdk::parseJson;
using cpa::sdk::Value;

Part toolCall(std::string id, std::string name, std::string args) {
    Part p;
    p.kind = Part::Kind::ToolCall;
    p.callId = std::move(id);
    p.name = std::move(name);
    p.arguments = std::move(args);
    return p;
}

Value encodeReply(const Reply& r, std::string clientModel = "client-model") {
    Exchange ex;
    ex.clientModel = std::move(clientModel);
    return parseJson(claudeCodec().encodeReply(r, ex));
}

TEST(ClaudeEncodeReply, TextThinkingToolCallsAndUsage) {
    Reply r;
    r.id = "msg_abc";
    r.model = "upstream-model";
    Part th;
    th.kind = Part::Kind::Thinking;
    th.text = "pondering";
    th.signature = "sig";
    r.parts = {th, Part::textPart("héllo 👋 世界"), toolCall("call:1", "get_weather", R"({"city":"Paris"})")};
    r.finish = FinishReason::Stop;
    r.usage = {.present = true, .input = 100, .output = 20, .cachedInput = 30, .cacheCreation = 10, .reasoning = 5};
    EXPECT_EQ(encodeReply(r), parseJson(R"({"id":"msg_abc","type":"message","role":"assistant","model":"client-model",
        "content":[{"type":"thinking","thinking":"pondering","signature":"sig"},
                   {"type":"text","text":"héllo 👋 世界"},
                   {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}}],
        "stop_reason":"tool_use","stop_sequence":null,
        "usage":{"input_tokens":60,"output_tokens":20,"cache_read_input_tokens":30,"cache_creation_input_tokens":10}})"));
}

TEST(ClaudeEncodeReply, FinishReasonsAndStopSequence) {
    const auto stop = [](FinishReason f, std::string seq = {}) {
        Reply r;
        r.parts = {Part::textPart("x")};
        r.finish = f;
        r.stopSequence = std::move(seq);
        return encodeReply(r);
    };
    EXPECT_EQ(*stop(FinishReason::Stop).find("stop_reason"), Value("end_turn"));
    EXPECT_EQ(*stop(FinishReason::Unset).find("stop_reason"), Value("end_turn"));
    EXPECT_EQ(*stop(FinishReason::Length).find("stop_reason"), Value("max_tokens"));
    EXPECT_EQ(*stop(FinishReason::Refusal).find("stop_reason"), Value("refusal"));
    EXPECT_EQ(*stop(FinishReason::ContentFilter).find("stop_reason"), Value("refusal"));
    EXPECT_EQ(*stop(FinishReason::ToolCalls).find("stop_reason"), Value("tool_use"));
    const Value seq = stop(FinishReason::StopSequence, "END");
    EXPECT_EQ(*seq.find("stop_reason"), Value("stop_sequence"));
    EXPECT_EQ(*seq.find("stop_sequence"), Value("END"));
}

TEST(ClaudeEncodeReply, EmptyReplyGetsAnIdAndZeroUsage) {
    const Value body = encodeReply(Reply{}, "");
    EXPECT_EQ(body.find("id")->asString().rfind("msg_", 0), 0u);
    EXPECT_EQ(*body.find("content"), Value::array());
    EXPECT_EQ(*body.find("model"), Value(""));
    EXPECT_EQ(*body.findPath("usage.input_tokens"), Value(0));
    // input never goes negative when the sub-counts exceed it
    Reply r;
    r.usage = {.present = true, .input = 5, .output = 1, .cachedInput = 10, .cacheCreation = 0, .reasoning = 0};
    EXPECT_EQ(*encodeReply(r).findPath("usage.input_tokens"), Value(0));
}

TEST(ClaudeDecodeReply, MessageToCanonical) {
    Exchange ex;
    ex.toolNameBack.emplace("files_read", "files.read");
    const Reply r = claudeCodec().decodeReply(parseJson(R"({"id":"msg_1","type":"message","role":"assistant",
        "model":"claude-sonnet-4-5","content":[
            {"type":"thinking","thinking":"hmm","signature":"s1"},
            {"type":"redacted_thinking","data":"opaque"},
            {"type":"text","text":"Here"},
            {"type":"server_tool_use","id":"srv_1","name":"web_search","input":{}},
            {"type":"tool_use","id":"toolu_9","name":"files_read","input":{"path":"/a"}}],
        "stop_reason":"tool_use","stop_sequence":null,
        "usage":{"input_tokens":13,"output_tokens":4,"cache_read_input_tokens":22000,"cache_creation_input_tokens":31}})"),
                                              ex);
    EXPECT_EQ(r.id, "msg_1");
    EXPECT_EQ(r.model, "claude-sonnet-4-5");
    ASSERT_EQ(r.parts.size(), 4u);
    EXPECT_EQ(r.parts[0].kind, Part::Kind::Thinking);
    EXPECT_EQ(r.parts[0].signature, "s1");
    EXPECT_TRUE(r.parts[1].redacted);
    EXPECT_EQ(r.parts[1].signature, "opaque");
    EXPECT_EQ(r.parts[2].text, "Here");
    EXPECT_EQ(r.parts[3].kind, Part::Kind::ToolCall);
    EXPECT_EQ(r.parts[3].callId, "toolu_9");
    EXPECT_EQ(r.parts[3].name, "files.read");
    EXPECT_EQ(parseJson(r.parts[3].arguments), parseJson(R"({"path":"/a"})"));
    EXPECT_EQ(r.finish, FinishReason::ToolCalls);
    // the original's vector: prompt = 13 + 22000 + 31
    EXPECT_TRUE(r.usage.present);
    EXPECT_EQ(r.usage.input, 22044);
    EXPECT_EQ(r.usage.cachedInput, 22000);
    EXPECT_EQ(r.usage.cacheCreation, 31);
    EXPECT_EQ(r.usage.output, 4);
    EXPECT_EQ(r.usage.total(), 22048);
}

TEST(ClaudeDecodeReply, StopReasonsAndSequences) {
    const auto finish = [](std::string_view reason, std::string_view seq = "null") {
        return claudeCodec().decodeReply(parseJson(std::string(R"({"type":"message","content":[],"stop_reason":")") +
                                                   std::string(reason) + R"(","stop_sequence":)" + std::string(seq) + "}"),
                                         Exchange{});
    };
    EXPECT_EQ(finish("end_turn").finish, FinishReason::Stop);
    EXPECT_EQ(finish("max_tokens").finish, FinishReason::Length);
    EXPECT_EQ(finish("refusal").finish, FinishReason::Refusal);
    EXPECT_EQ(finish("pause_turn").finish, FinishReason::Stop);
    EXPECT_EQ(finish("model_context_window_exceeded").finish, FinishReason::Length);
    const Reply s = finish("stop_sequence", R"("END")");
    EXPECT_EQ(s.finish, FinishReason::StopSequence);
    EXPECT_EQ(s.stopSequence, "END");
}

TEST(ClaudeDecodeReply, NotAMessageIsRefused) {
    EXPECT_THROW(claudeCodec().decodeReply(parseJson(R"({"choices":[]})"), Exchange{}), TranslateError);
    EXPECT_THROW(claudeCodec().decodeReply(parseJson(R"({"type":"error","error":{"type":"api_error","message":"boom"}})"),
                                           Exchange{}),
                 TranslateError);
}

}  // namespace
}  // namespace cpa::proxy::translate
