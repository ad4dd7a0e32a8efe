// The chat codec's non-stream answers: canonical → chat.completion, and back.
#include "translate/chat_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace chattest;
using cpa::sdk::Value;
using K = Part::Kind;

Value encodeReply(const Reply& r, const std::string& clientModel = "client-model") {
    Exchange ex;
    ex.clientModel = clientModel;
    return json(codec().encodeReply(r, ex));
}

Part callPart(std::string id, std::string name, std::string args) {
    Part p;
    p.kind = K::ToolCall;
    p.callId = std::move(id);
    p.name = std::move(name);
    p.arguments = std::move(args);
    return p;
}

TEST(ChatEncodeReply, TextReasoningAndUsage) {
    Reply r;
    r.id = "chatcmpl-123";
    r.model = "upstream-model";
    r.created = 1700000000;
    Part t = Part::textPart("thought");
    t.kind = K::Thinking;
    t.signature = "sig";
    r.parts = {t, Part::textPart("héllo 👋 "), Part::textPart("世界")};
    r.finish = FinishReason::Stop;
    r.usage = Usage{true, 22044, 40, 22000, 31, 10};
    const Value out = encodeReply(r);
    EXPECT_EQ(str(out, "id"), "chatcmpl-123");
    EXPECT_EQ(str(out, "object"), "chat.completion");
    EXPECT_EQ(num(out, "created"), 1700000000);
    EXPECT_EQ(str(out, "model"), "client-model");
    EXPECT_EQ(num(out, "choices.0.index"), 0);
    EXPECT_EQ(str(out, "choices.0.message.role"), "assistant");
    EXPECT_EQ(str(out, "choices.0.message.content"), "héllo 👋 世界");
    EXPECT_EQ(str(out, "choices.0.message.reasoning_content"), "thought");
    EXPECT_EQ(at(out, "choices.0.message.tool_calls"), nullptr);
    EXPECT_EQ(str(out, "choices.0.finish_reason"), "stop");
    EXPECT_EQ(num(out, "usage.prompt_tokens"), 22044);
    EXPECT_EQ(num(out, "usage.completion_tokens"), 40);
    EXPECT_EQ(num(out, "usage.total_tokens"), 22084);
    EXPECT_EQ(num(out, "usage.prompt_tokens_details.cached_tokens"), 22000);
    EXPECT_EQ(num(out, "usage.completion_tokens_details.reasoning_tokens"), 10);
    EXPECT_EQ(cpa::sdk::toJson(out).find("sig"), std::string::npos);
}

TEST(ChatEncodeReply, MissingIdCreatedAndModelAreFilledIn) {
    Reply r;
    r.model = "upstream-model";
    r.parts = {Part::textPart("x")};
    const Value out = encodeReply(r, "");
    EXPECT_EQ(str(out, "id").rfind("chatcmpl-", 0), 0u);
    EXPECT_EQ(str(out, "id").size(), 9u + 24u);
    EXPECT_GT(num(out, "created"), 1600000000);
    EXPECT_EQ(str(out, "model"), "upstream-model");
    EXPECT_EQ(num(out, "usage.total_tokens"), 0);  // OpenAI always reports usage
}

TEST(ChatEncodeReply, ToolCallsOnlyHaveNullContentAndToolCallsFinish) {
    Reply r;
    r.parts = {callPart("call_1", "get_weather", R"({"city":"Paris"})"), callPart("call_2", "f", "")};
    r.finish = FinishReason::Stop;  // e.g. Gemini's STOP beside function calls
    const Value out = encodeReply(r);
    EXPECT_TRUE(at(out, "choices.0.message.content")->isNull());
    EXPECT_EQ(str(out, "choices.0.message.tool_calls.0.id"), "call_1");
    EXPECT_EQ(str(out, "choices.0.message.tool_calls.0.type"), "function");
    EXPECT_EQ(str(out, "choices.0.message.tool_calls.0.function.name"), "get_weather");
    EXPECT_EQ(str(out, "choices.0.message.tool_calls.0.function.arguments"), R"({"city":"Paris"})");
    EXPECT_EQ(str(out, "choices.0.message.tool_calls.1.function.arguments"), "{}");
    EXPECT_EQ(str(out, "choices.0.finish_reason"), "tool_calls");
    r.finish = FinishReason::Length;
    EXPECT_EQ(str(encodeReply(r), "choices.0.finish_reason"), "length");
}

TEST(ChatEncodeReply, FinishReasonsAndEmptyContent) {
    const std::pair<FinishReason, const char*> table[] = {
        {FinishReason::Unset, "stop"},         {FinishReason::Stop, "stop"},
        {FinishReason::StopSequence, "stop"},  {FinishReason::Length, "length"},
        {FinishReason::ToolCalls, "tool_calls"}, {FinishReason::ContentFilter, "content_filter"},
        {FinishReason::Refusal, "content_filter"},
    };
    for (auto [reason, want] : table) {
        Reply r;
        r.finish = reason;
        const Value out = encodeReply(r);
        EXPECT_EQ(str(out, "choices.0.finish_reason"), want);
        EXPECT_EQ(str(out, "choices.0.message.content"), "");  // no parts: "" (not null)
    }
}

TEST(ChatEncodeReply, ImagesGoToMessageImages) {
    Part img;
    img.kind = K::Image;
    img.mimeType = "image/png";
    img.data = "AAAA";
    Reply r;
    r.parts = {Part::textPart("here"), img};
    const Value out = encodeReply(r);
    EXPECT_EQ(str(out, "choices.0.message.images.0.type"), "image_url");
    EXPECT_EQ(str(out, "choices.0.message.images.0.image_url.url"), "data:image/png;base64,AAAA");
    EXPECT_EQ(num(out, "choices.0.message.images.0.index"), 0);
}

// ---- decode ---------------------------------------------------------------

Reply decodeReply(std::string_view body, std::map<std::string, std::string, std::less<>> names = {}) {
    Exchange ex;
    ex.toolNameBack = std::move(names);
    return codec().decodeReply(json(body), ex);
}

TEST(ChatDecodeReply, TextReasoningToolCallsAndUsage) {
    const Reply r = decodeReply(R"({"id":"chatcmpl-9","object":"chat.completion","created":1700000001,
        "model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Checking.",
        "reasoning_content":"need weather","tool_calls":[
          {"id":"call_a","type":"function","function":{"name":"get_weather_sanitised","arguments":"{\"city\":\"Paris\"}"}},
          {"id":"","type":"function","function":{"name":"noop","arguments":""}}]},
        "finish_reason":"tool_calls"}],
        "usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,
          "prompt_tokens_details":{"cached_tokens":80},"completion_tokens_details":{"reasoning_tokens":20}}})",
                                {{"get_weather_sanitised", "get.weather"}});
    EXPECT_EQ(r.id, "chatcmpl-9");
    EXPECT_EQ(r.model, "gpt-4o");
    EXPECT_EQ(r.created, 1700000001);
    ASSERT_EQ(r.parts.size(), 4u);
    EXPECT_EQ(r.parts[0].kind, K::Thinking);
    EXPECT_EQ(r.parts[0].text, "need weather");
    EXPECT_EQ(r.parts[1].kind, K::Text);
    EXPECT_EQ(r.parts[1].text, "Checking.");
    EXPECT_EQ(r.parts[2].kind, K::ToolCall);
    EXPECT_EQ(r.parts[2].callId, "call_a");
    EXPECT_EQ(r.parts[2].name, "get.weather");  // restored through toolNameBack
    EXPECT_EQ(r.parts[2].arguments, R"({"city":"Paris"})");
    EXPECT_EQ(r.parts[3].callId.rfind("call_", 0), 0u);  // minted
    EXPECT_EQ(r.parts[3].arguments, "{}");
    EXPECT_EQ(r.finish, FinishReason::ToolCalls);
    EXPECT_TRUE(r.usage.present);
    EXPECT_EQ(r.usage.input, 100);
    EXPECT_EQ(r.usage.output, 50);
    EXPECT_EQ(r.usage.cachedInput, 80);
    EXPECT_EQ(r.usage.reasoning, 20);
}

TEST(ChatDecodeReply, FinishReasonsAndMissingOnes) {
    const auto finish = [](const char* reason) {
        return decodeReply(std::string(R"({"choices":[{"message":{"content":"x"},"finish_reason":)") + reason + "}]}")
            .finish;
    };
    EXPECT_EQ(finish("\"stop\""), FinishReason::Stop);
    EXPECT_EQ(finish("\"length\""), FinishReason::Length);
    EXPECT_EQ(finish("\"content_filter\""), FinishReason::ContentFilter);
    EXPECT_EQ(finish("\"function_call\""), FinishReason::ToolCalls);
    EXPECT_EQ(finish("null"), FinishReason::Stop);
    const Reply withCall = decodeReply(R"({"choices":[{"message":{"tool_calls":[
        {"id":"c","function":{"name":"f","arguments":"{}"}}]}}]})");
    EXPECT_EQ(withCall.finish, FinishReason::ToolCalls);
    EXPECT_FALSE(withCall.usage.present);
}

TEST(ChatDecodeReply, ReasoningKeyArrayContentRefusalAndImages) {
    const Reply r = decodeReply(R"({"choices":[{"message":{"reasoning":"hmm",
        "content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"data:image/png;base64,QUJD"}}],
        "images":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/"},"index":0}]},
        "finish_reason":"stop"}]})");
    ASSERT_EQ(r.parts.size(), 4u);
    EXPECT_EQ(r.parts[0].kind, K::Thinking);
    EXPECT_EQ(r.parts[0].text, "hmm");
    EXPECT_EQ(r.parts[1].text, "a");
    EXPECT_EQ(r.parts[2].kind, K::Image);
    EXPECT_EQ(r.parts[2].mimeType, "image/png");
    EXPECT_EQ(r.parts[3].mimeType, "image/jpeg");
    EXPECT_EQ(r.parts[3].data, "/9j/");

    const Reply refused = decodeReply(R"({"choices":[{"message":{"content":null,"refusal":"I can't help."},
        "finish_reason":"stop"}]})");
    ASSERT_EQ(refused.parts.size(), 1u);
    EXPECT_EQ(refused.parts[0].text, "I can't help.");
    EXPECT_EQ(refused.finish, FinishReason::Refusal);
}

TEST(ChatDecodeReply, UsageVariants) {
    // A server counting reasoning outside completion_tokens: canonical output includes it.
    Reply r = decodeReply(R"({"choices":[{"message":{"content":"x"}}],
        "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":18,"completion_tokens_details":{"reasoning_tokens":3}}})");
    EXPECT_EQ(r.usage.output, 8);
    EXPECT_EQ(r.usage.reasoning, 3);
    r = decodeReply(R"({"choices":[{"message":{"content":"x"}}],
        "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_cache_hit_tokens":4}})");
    EXPECT_EQ(r.usage.output, 5);
    EXPECT_EQ(r.usage.cachedInput, 4);
}

TEST(ChatDecodeReply, BodiesThatAreNotCompletionsAreRefused) {
    EXPECT_THROW(decodeReply("[]"), TranslateError);
    EXPECT_THROW(decodeReply(R"({"object":"list"})"), TranslateError);
    EXPECT_THROW(decodeReply(R"({"choices":[]})"), TranslateError);
    EXPECT_THROW(decodeReply(R"({"choices":[{"text":"legacy"}]})"), TranslateError);
    const TranslateError e = translateError([] { decodeReply(R"({"error":{"message":"boom","type":"server_error"}})"); });
    EXPECT_NE(std::string(e.what()).find("boom"), std::string::npos);
}

}  // namespace
}  // namespace cpa::proxy::translate
