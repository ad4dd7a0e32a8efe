// The Responses codec, non-stream answers both ways.
#include "translate/part_builders.hpp"
#include "responses_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace rtest;
using cpa::sdk::Value;

Part thinking(std::string text, std::string sig) {
    Part p;
    p.kind = Part::Kind::Thinking;
    p.text = std::move(text);
    p.signature = std::move(sig);
    return p;
}

Reply sampleReply() {
    Reply r;
    r.id = "chatcmpl-1";
    r.model = "upstream-model";
    r.created = 1700000000;
    r.parts = {thinking("plan", "sig-1"), Part::textPart("Hello "), Part::textPart("world"),
               call("call_1", "get_weather", R"({"city":"Paris"})"), call("call_2", "get_time", "")};
    r.finish = FinishReason::ToolCalls;
    r.usage.present = true;
    r.usage.input = 100;
    r.usage.cachedInput = 40;
    r.usage.output = 30;
    r.usage.reasoning = 12;
    return r;
}

TEST(ResponsesEncodeReply, OutputItemsUsageAndStatus) {
    Exchange ex;
    ex.clientModel = "gpt-5";
    const Value r = json(responses().encodeReply(sampleReply(), ex));
    EXPECT_EQ(at(r, "id").asString().rfind("resp_", 0), 0u);
    EXPECT_EQ(at(r, "object").asString(), "response");
    EXPECT_EQ(at(r, "created_at").asInt(), 1700000000);
    EXPECT_EQ(at(r, "status").asString(), "completed");
    EXPECT_TRUE(at(r, "incomplete_details").isNull());
    EXPECT_EQ(at(r, "model").asString(), "gpt-5");
    const Value out = at(r, "output");
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(at(out, "0.type").asString(), "reasoning");
    EXPECT_EQ(at(out, "0.id").asString().rfind("rs_", 0), 0u);
    EXPECT_EQ(at(out, "0.summary.0.type").asString(), "summary_text");
    EXPECT_EQ(at(out, "0.summary.0.text").asString(), "plan");
    EXPECT_EQ(at(out, "0.encrypted_content").asString(), "sig-1");
    EXPECT_EQ(at(out, "1.type").asString(), "message");
    EXPECT_EQ(at(out, "1.id").asString().rfind("msg_", 0), 0u);
    EXPECT_EQ(at(out, "1.role").asString(), "assistant");
    EXPECT_EQ(at(out, "1.status").asString(), "completed");
    EXPECT_EQ(at(out, "1.content.0.type").asString(), "output_text");
    EXPECT_EQ(at(out, "1.content.0.text").asString(), "Hello world");
    EXPECT_TRUE(at(out, "1.content.0.annotations").isArray());
    EXPECT_EQ(at(out, "2.type").asString(), "function_call");
    EXPECT_EQ(at(out, "2.id").asString(), "fc_call_1");
    EXPECT_EQ(at(out, "2.status").asString(), "completed");
    EXPECT_EQ(at(out, "2.call_id").asString(), "call_1");
    EXPECT_EQ(at(out, "2.name").asString(), "get_weather");
    EXPECT_EQ(at(out, "2.arguments").asString(), R"({"city":"Paris"})");
    EXPECT_EQ(at(out, "3.arguments").asString(), "{}");
    EXPECT_EQ(at(r, "usage.input_tokens").asInt(), 100);
    EXPECT_EQ(at(r, "usage.input_tokens_details.cached_tokens").asInt(), 40);
    EXPECT_EQ(at(r, "usage.output_tokens").asInt(), 30);
    EXPECT_EQ(at(r, "usage.output_tokens_details.reasoning_tokens").asInt(), 12);
    EXPECT_EQ(at(r, "usage.total_tokens").asInt(), 130);
    EXPECT_FALSE(r.contains("tools"));  // no request to echo
}

TEST(ResponsesEncodeReply, LengthIsIncompleteAndTheUpstreamResponseIdIsKept) {
    Reply rep;
    rep.id = "resp_upstream";
    rep.parts = {Part::textPart("cut")};
    rep.finish = FinishReason::Length;
    const Value r = json(responses().encodeReply(rep, Exchange{}));
    EXPECT_EQ(at(r, "id").asString(), "resp_upstream");
    EXPECT_EQ(at(r, "status").asString(), "incomplete");
    EXPECT_EQ(at(r, "incomplete_details.reason").asString(), "max_output_tokens");
    EXPECT_TRUE(at(r, "usage").isNull());
    EXPECT_GT(at(r, "created_at").asInt(), 1600000000);
    rep.finish = FinishReason::ContentFilter;
    EXPECT_EQ(at(json(responses().encodeReply(rep, Exchange{})), "incomplete_details.reason").asString(),
              "content_filter");
}

TEST(ResponsesEncodeReply, EchoesTheClientsOwnRequest) {
    const Conversation req = responses().decodeRequest(json(R"({"model":"gpt-5","instructions":"sys",
        "tools":[{"type":"function","name":"f","description":"d","parameters":{"type":"object"}},{"type":"web_search_preview"}],
        "tool_choice":{"type":"function","name":"f"},"parallel_tool_calls":false,"temperature":0.3,"top_p":0.7,
        "max_output_tokens":64,"reasoning":{"effort":"low","summary":"auto"},
        "text":{"format":{"type":"json_object"}}})"),
                                                           "m", false);
    Exchange ex;
    ex.request = &req;
    Reply rep;
    rep.parts = {Part::textPart("ok")};
    const Value r = json(responses().encodeReply(rep, ex));
    EXPECT_EQ(at(r, "instructions").asString(), "sys");
    EXPECT_EQ(at(r, "tools.0.name").asString(), "f");
    EXPECT_EQ(at(r, "tools.1.type").asString(), "web_search_preview");
    EXPECT_EQ(at(r, "tool_choice.name").asString(), "f");
    EXPECT_FALSE(at(r, "parallel_tool_calls").asBool());
    EXPECT_EQ(at(r, "temperature").asDouble(), 0.3);
    EXPECT_EQ(at(r, "top_p").asDouble(), 0.7);
    EXPECT_EQ(at(r, "max_output_tokens").asInt(), 64);
    EXPECT_EQ(at(r, "reasoning.effort").asString(), "low");
    EXPECT_EQ(at(r, "reasoning.summary").asString(), "auto");
    EXPECT_EQ(at(r, "text.format.type").asString(), "json_object");
}

TEST(ResponsesEncodeReply, ImagesBecomeImageGenerationCalls) {
    Reply rep;
    Part img;
    img.kind = Part::Kind::Image;
    img.mimeType = "image/jpeg";
    img.data = "Ymll";
    rep.parts = {img};
    const Value r = json(responses().encodeReply(rep, Exchange{}));
    EXPECT_EQ(at(r, "output.0.type").asString(), "image_generation_call");
    EXPECT_EQ(at(r, "output.0.result").asString(), "Ymll");
    EXPECT_EQ(at(r, "output.0.output_format").asString(), "jpeg");
}

// ------------------------------------------------------------- decode --

TEST(ResponsesDecodeReply, ACompletedEventWithReasoningMessagesAndCalls) {
    Exchange ex;
    ex.toolNameBack["short_name"] = "a_very_long_original_name";
    const Reply r = responses().decodeReply(json(R"({"type":"response.completed","response":{
        "id":"resp_1","model":"gpt-5","created_at":1700000001,"status":"completed",
        "output":[
          {"type":"reasoning","id":"rs_1","encrypted_content":"enc_sig","summary":[{"type":"summary_text","text":"a"},{"type":"summary_text","text":"b"}]},
          {"type":"message","content":[{"type":"output_text","text":"Hel"},{"type":"output_text","text":"lo"}]},
          {"type":"message","content":[{"type":"output_text","text":" again"}]},
          {"type":"function_call","call_id":"call_9","name":"short_name","arguments":"{\"x\":1}"},
          {"type":"web_search_call","id":"ws_1","status":"completed"}],
        "usage":{"input_tokens":50,"input_tokens_details":{"cached_tokens":20},"output_tokens":10,
                 "output_tokens_details":{"reasoning_tokens":4},"total_tokens":60}}})"),
                                            ex);
    EXPECT_EQ(r.id, "resp_1");
    EXPECT_EQ(r.model, "gpt-5");
    EXPECT_EQ(r.created, 1700000001);
    ASSERT_EQ(r.parts.size(), 3u);
    EXPECT_EQ(r.parts[0].kind, Part::Kind::Thinking);
    EXPECT_EQ(r.parts[0].text, "a\n\nb");
    EXPECT_EQ(r.parts[0].signature, "enc_sig");
    EXPECT_EQ(r.parts[1].text, "Hello again");  // every message text, not only the first (translation.md §5.2 L21)
    EXPECT_EQ(r.parts[2].kind, Part::Kind::ToolCall);
    EXPECT_EQ(r.parts[2].callId, "call_9");
    EXPECT_EQ(r.parts[2].name, "a_very_long_original_name");
    EXPECT_EQ(r.parts[2].arguments, R"({"x":1})");
    EXPECT_EQ(r.finish, FinishReason::ToolCalls);
    EXPECT_TRUE(r.usage.present);
    EXPECT_EQ(r.usage.input, 50);
    EXPECT_EQ(r.usage.cachedInput, 20);
    EXPECT_EQ(r.usage.output, 10);
    EXPECT_EQ(r.usage.reasoning, 4);
}

TEST(ResponsesDecodeReply, APlainBodyAndTheOriginalsThinkingVector) {
    // Vector of TestConvertCodexResponseToClaudeNonStream_ThinkingIncludesSignature.
    const Reply r = responses().decodeReply(json(R"({"id":"resp_123","object":"response","model":"gpt-5",
        "usage":{"input_tokens":10,"output_tokens":20},
        "output":[{"type":"reasoning","encrypted_content":"enc_sig_nonstream","summary":[{"type":"summary_text","text":"internal reasoning"}]},
                  {"type":"message","content":[{"type":"output_text","text":"final answer"}]}]})"),
                                            Exchange{});
    ASSERT_EQ(r.parts.size(), 2u);
    EXPECT_EQ(r.parts[0].signature, "enc_sig_nonstream");
    EXPECT_EQ(r.parts[0].text, "internal reasoning");
    EXPECT_EQ(r.parts[1].text, "final answer");
    EXPECT_EQ(r.finish, FinishReason::Stop);
    EXPECT_EQ(r.usage.total(), 30);
}

TEST(ResponsesDecodeReply, FinishReasonMapping) {
    // Vectors of TestConvertCodexResponseToClaudeNonStream_StopReasonMapping / _StopSequenceMapping.
    auto finish = [](std::string_view body) {
        return responses().decodeReply(json(body), Exchange{});
    };
    EXPECT_EQ(finish(R"({"type":"response.completed","response":{"id":"r","stop_reason":"stop","output":[]}})").finish,
              FinishReason::Stop);
    EXPECT_EQ(finish(R"({"type":"response.incomplete","response":{"status":"incomplete",
        "incomplete_details":{"reason":"max_output_tokens"},"output":[]}})").finish,
              FinishReason::Length);
    EXPECT_EQ(finish(R"({"type":"response.completed","response":{"stop_reason":"stop",
        "output":[{"type":"function_call","call_id":"call_1","name":"lookup","arguments":"{}"}]}})").finish,
              FinishReason::ToolCalls);
    EXPECT_EQ(finish(R"({"type":"response.incomplete","response":{"incomplete_details":{"reason":"content_filter"},"output":[]}})")
                  .finish,
              FinishReason::ContentFilter);
    const Reply seq = finish(R"({"response":{"stop_reason":"stop","stop_sequence":"\nEND","output":[]}})");
    EXPECT_EQ(seq.finish, FinishReason::StopSequence);
    EXPECT_EQ(seq.stopSequence, "\nEND");
    const Reply refusal = finish(R"({"output":[{"type":"message","content":[{"type":"refusal","refusal":"no"}]}]})");
    EXPECT_EQ(refusal.finish, FinishReason::Refusal);
    EXPECT_EQ(refusal.parts[0].text, "no");
    EXPECT_FALSE(refusal.usage.present);
}

TEST(ResponsesDecodeReply, GeneratedImagesBecomeImageParts) {
    // Vector of TestConvertCodexResponseToOpenAI_NonStreamImageGenerationCallAddsMessageImages.
    const Reply r = responses().decodeReply(json(R"({"type":"response.completed","response":{"id":"resp_123",
        "created_at":1700000000,"model":"gpt-5.4","status":"completed","usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2},
        "output":[{"type":"message","content":[{"type":"output_text","text":"ok"}]},
                  {"type":"image_generation_call","output_format":"png","result":"aGVsbG8="}]}})"),
                                            Exchange{});
    ASSERT_EQ(r.parts.size(), 2u);
    EXPECT_EQ(r.parts[1].kind, Part::Kind::Image);
    EXPECT_EQ(r.parts[1].mimeType, "image/png");
    EXPECT_EQ(r.parts[1].data, "aGVsbG8=");
}

TEST(ResponsesDecodeReply, NotAResponseOrAFailedOneIsRefused) {
    EXPECT_THROW((void)responses().decodeReply(json(R"({"choices":[]})"), Exchange{}), TranslateError);
    EXPECT_THROW((void)responses().decodeReply(json("[]"), Exchange{}), TranslateError);
    try {
        (void)responses().decodeReply(
            json(R"({"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"boom"}}})"),
            Exchange{});
        FAIL() << "a failed response was accepted";
    } catch (const TranslateError& e) {
        EXPECT_NE(std::string(e.what()).find("boom"), std::string::npos);
    }
}

}  // namespace
}  // namespace cpa::proxy::translate
