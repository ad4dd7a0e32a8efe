// The chat codec, client side: /v1/chat/completions bodies → canonical.
#include "translate/chat_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace chattest;
using K = Part::Kind;

Conversation decode(std::string_view body, bool stream = false) {
    return codec().decodeRequest(json(body), "url-model", stream);
}

TEST(ChatDecodeRequest, SystemAndDeveloperMessagesBecomeSystemInOrder) {
    const Conversation c = decode(R"({"model":"gpt-4.1","messages":[
        {"role":"system","content":"Rule 1"},
        {"role":"developer","content":[{"type":"text","text":"Rule 2"}]},
        {"role":"user","content":"Hello"}]})");
    EXPECT_EQ(c.model, "gpt-4.1");
    ASSERT_EQ(c.system.size(), 2u);
    EXPECT_EQ(c.system[0].text, "Rule 1");
    EXPECT_EQ(c.system[1].text, "Rule 2");
    ASSERT_EQ(c.messages.size(), 1u);
    EXPECT_EQ(c.messages[0].role, Role::User);
    ASSERT_EQ(c.messages[0].parts.size(), 1u);
    EXPECT_EQ(c.messages[0].parts[0].text, "Hello");
}

TEST(ChatDecodeRequest, MultiTurnWithBase64AndUrlImages) {
    const Conversation c = decode(R"({"model":"m","stream":true,"messages":[
        {"role":"user","content":[
            {"type":"text","text":"what is this?"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
            {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
            {"type":"image_url","image_url":"https://example.com/dog.jpg"}]},
        {"role":"assistant","content":"A cat."},
        {"role":"user","content":"thanks"}]})");
    EXPECT_TRUE(c.stream);
    ASSERT_EQ(c.messages.size(), 3u);
    const auto& parts = c.messages[0].parts;
    ASSERT_EQ(parts.size(), 4u);
    EXPECT_EQ(parts[0].kind, K::Text);
    EXPECT_EQ(parts[1].kind, K::Image);
    EXPECT_EQ(parts[1].mimeType, "image/png");
    EXPECT_EQ(parts[1].data, "iVBORw0KGgo=");
    EXPECT_TRUE(parts[1].url.empty());
    EXPECT_EQ(parts[2].kind, K::Image);
    EXPECT_EQ(parts[2].url, "https://example.com/cat.jpg");
    EXPECT_EQ(parts[3].url, "https://example.com/dog.jpg");
    EXPECT_EQ(c.messages[1].role, Role::Assistant);
    EXPECT_EQ(c.messages[1].parts[0].text, "A cat.");
    EXPECT_EQ(c.messages[2].parts[0].text, "thanks");
}

TEST(ChatDecodeRequest, StreamFlagFallsBackToTheCallersAndModelToTheRoute) {
    const Conversation c = decode(R"({"messages":[{"role":"user","content":"x"}]})", true);
    EXPECT_TRUE(c.stream);
    EXPECT_EQ(c.model, "url-model");
}

TEST(ChatDecodeRequest, FileAndAudioParts) {
    const Conversation c = decode(R"({"model":"m","messages":[{"role":"user","content":[
        {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}},
        {"type":"file","file":{"file_data":"JVBERi0=","filename":"report.PDF"}},
        {"type":"input_audio","input_audio":{"data":"SUQz","format":"mp3"}},
        {"type":"input_audio","input_audio":{"data":"UklGR","format":"wav"}}]}]})");
    const auto& p = c.messages[0].parts;
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(p[0].kind, K::File);
    EXPECT_EQ(p[0].mimeType, "application/pdf");
    EXPECT_EQ(p[0].data, "JVBERi0=");
    EXPECT_EQ(p[0].filename, "a.pdf");
    EXPECT_EQ(p[1].mimeType, "application/pdf");  // bare base64: type from the file name
    EXPECT_EQ(p[1].data, "JVBERi0=");
    EXPECT_EQ(p[2].kind, K::Audio);
    EXPECT_EQ(p[2].mimeType, "audio/mpeg");
    EXPECT_EQ(p[2].data, "SUQz");
    EXPECT_EQ(p[3].mimeType, "audio/wav");
}

TEST(ChatDecodeRequest, FileIdReferencesAreRefused) {
    const auto e = translateError([] {
        decode(R"({"messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}]})");
    });
    EXPECT_EQ(e.param, "messages[0].content[0].file.file_id");
}

// Vectors of the original's chat→codex tests (TestToolCallSimple, TestMultipleToolCalls).
TEST(ChatDecodeRequest, ToolCallsAndConsecutiveToolMessagesMergeIntoOneUserTurn) {
    const Conversation c = decode(R"({"model":"gpt-4o","messages":[
        {"role":"user","content":"Compare weather in Paris, London and Tokyo"},
        {"role":"assistant","content":null,"tool_calls":[
            {"id":"call_paris","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
            {"id":"call_london","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"London\"}"}},
            {"id":"call_tokyo","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Tokyo\"}"}}]},
        {"role":"tool","tool_call_id":"call_paris","content":"sunny, 22C"},
        {"role":"tool","tool_call_id":"call_london","content":"cloudy, 14C"},
        {"role":"tool","tool_call_id":"call_tokyo","content":[{"type":"text","text":"humid, 28C"}]},
        {"role":"user","content":"Which is warmest?"}]})");
    ASSERT_EQ(c.messages.size(), 4u);
    const auto& calls = c.messages[1].parts;
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0].kind, K::ToolCall);
    EXPECT_EQ(calls[0].callId, "call_paris");
    EXPECT_EQ(calls[0].name, "get_weather");
    EXPECT_EQ(calls[0].arguments, R"({"city":"Paris"})");
    EXPECT_EQ(calls[2].callId, "call_tokyo");
    const Message& results = c.messages[2];
    EXPECT_EQ(results.role, Role::User);
    ASSERT_EQ(results.parts.size(), 3u);
    const char* ids[] = {"call_paris", "call_london", "call_tokyo"};
    const char* outs[] = {"sunny, 22C", "cloudy, 14C", "humid, 28C"};
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(results.parts[i].kind, K::ToolResult);
        EXPECT_EQ(results.parts[i].callId, ids[i]);
        EXPECT_EQ(results.parts[i].name, "get_weather");  // from the matching call
        ASSERT_EQ(results.parts[i].content.size(), 1u);
        EXPECT_EQ(results.parts[i].content[0].text, outs[i]);
    }
    EXPECT_EQ(c.messages[3].parts[0].text, "Which is warmest?");
}

TEST(ChatDecodeRequest, CallsWithoutIdsGetMintedIdsAndResultsPairFifo) {
    const Conversation c = decode(R"({"messages":[
        {"role":"assistant","tool_calls":[
            {"type":"function","function":{"name":"a","arguments":""}},
            {"function":{"name":"b","arguments":{"x":1}}}]},
        {"role":"tool","content":"ra"},
        {"role":"tool","content":"rb"}]})");
    const auto& calls = c.messages[0].parts;
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].callId.rfind("call_", 0), 0u);
    EXPECT_EQ(calls[0].callId.size(), 5u + 24u);
    EXPECT_NE(calls[0].callId, calls[1].callId);
    EXPECT_EQ(calls[0].arguments, "{}");
    EXPECT_EQ(calls[1].arguments, R"({"x":1})");  // an object is kept as JSON text
    const auto& results = c.messages[1].parts;
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].callId, calls[0].callId);
    EXPECT_EQ(results[0].name, "a");
    EXPECT_EQ(results[1].callId, calls[1].callId);
    EXPECT_EQ(results[1].name, "b");
}

TEST(ChatDecodeRequest, AssistantHistoryKeepsReasoningTextAndToolCallsInOrder) {
    const Conversation c = decode(R"({"messages":[
        {"role":"user","content":"hi"},
        {"role":"assistant","reasoning_content":"thinking...","content":"Let me check.",
         "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
        {"role":"assistant","content":""}]})");
    ASSERT_EQ(c.messages.size(), 3u);
    const auto& p = c.messages[1].parts;
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p[0].kind, K::Thinking);
    EXPECT_EQ(p[0].text, "thinking...");
    EXPECT_TRUE(p[0].signature.empty());
    EXPECT_EQ(p[1].kind, K::Text);
    EXPECT_EQ(p[2].kind, K::ToolCall);
    EXPECT_TRUE(c.messages[2].parts.empty());  // an empty assistant string carries nothing
}

TEST(ChatDecodeRequest, EmptyUserTextIsKeptAndLegacyFunctionMessagesAreResults) {
    const Conversation c = decode(R"({"messages":[
        {"role":"user","content":""},
        {"role":"assistant","function_call":{"name":"lookup","arguments":"{\"q\":1}"}},
        {"role":"function","name":"lookup","content":"found"},
        {"role":"user","content":[{"type":"text","text":"a"},"b"]}]})");
    ASSERT_EQ(c.messages.size(), 4u);
    ASSERT_EQ(c.messages[0].parts.size(), 1u);
    EXPECT_EQ(c.messages[0].parts[0].text, "");
    const Part& call = c.messages[1].parts.at(0);
    EXPECT_EQ(call.kind, K::ToolCall);
    EXPECT_EQ(call.name, "lookup");
    EXPECT_EQ(call.arguments, R"({"q":1})");
    const Part& res = c.messages[2].parts.at(0);
    EXPECT_EQ(res.kind, K::ToolResult);
    EXPECT_EQ(res.callId, call.callId);
    EXPECT_EQ(res.name, "lookup");
    EXPECT_EQ(c.messages[3].parts.size(), 2u);
    EXPECT_EQ(c.messages[3].parts[1].text, "b");
}

TEST(ChatDecodeRequest, ToolsBuiltinsAndToolChoice) {
    const Conversation c = decode(R"({"messages":[{"role":"user","content":"x"}],
        "tools":[
          {"type":"function","function":{"name":"get_weather","description":"Get weather",
            "parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}},
          {"type":"function","function":{"name":"noargs"}},
          {"type":"custom","custom":{"name":"grammar"}}],
        "web_search_options":{"search_context_size":"low"},
        "tool_choice":{"type":"function","function":{"name":"get_weather"}},
        "parallel_tool_calls":false})");
    ASSERT_EQ(c.tools.size(), 4u);
    EXPECT_EQ(c.tools[0].name, "get_weather");
    EXPECT_EQ(c.tools[0].description, "Get weather");
    ASSERT_TRUE(c.tools[0].parameters);
    EXPECT_EQ(str(*c.tools[0].parameters, "properties.city.type"), "string");
    EXPECT_EQ(c.tools[0].strict, true);
    EXPECT_TRUE(c.tools[0].builtin.empty());
    EXPECT_FALSE(c.tools[1].parameters);
    EXPECT_FALSE(c.tools[1].strict);
    EXPECT_EQ(c.tools[2].builtin, "custom");
    EXPECT_EQ(str(c.tools[2].raw, "custom.name"), "grammar");
    EXPECT_EQ(c.tools[3].builtin, "web_search");
    EXPECT_EQ(str(c.tools[3].raw, "search_context_size"), "low");
    EXPECT_EQ(c.toolChoice.mode, ToolChoice::Mode::Named);
    EXPECT_EQ(c.toolChoice.name, "get_weather");
    EXPECT_EQ(c.toolChoice.parallelToolCalls, false);
}

TEST(ChatDecodeRequest, ToolChoiceStrings) {
    const auto mode = [](const char* v) {
        return decode(std::string(R"({"messages":[],"tool_choice":")") + v + "\"}").toolChoice.mode;
    };
    EXPECT_EQ(mode("auto"), ToolChoice::Mode::Auto);
    EXPECT_EQ(mode("none"), ToolChoice::Mode::None);
    EXPECT_EQ(mode("required"), ToolChoice::Mode::Required);
    EXPECT_EQ(decode(R"({"messages":[]})").toolChoice.mode, ToolChoice::Mode::Unset);
    EXPECT_EQ(translateError([&] { mode("sometimes"); }).param, "tool_choice");
}

TEST(ChatDecodeRequest, SamplingLimitsStopAndReasoning) {
    const Conversation c = decode(R"({"model":"o3","messages":[{"role":"user","content":"x"}],
        "temperature":0.2,"top_p":0.9,"top_k":40,"max_tokens":100,"max_completion_tokens":300,
        "stop":"END","n":2,"seed":7,"presence_penalty":0.5,"frequency_penalty":-0.5,
        "reasoning_effort":" High ","user":"u-1","metadata":{"ignored":true},"unknown_field":1})");
    EXPECT_DOUBLE_EQ(*c.temperature, 0.2);
    EXPECT_DOUBLE_EQ(*c.topP, 0.9);
    EXPECT_EQ(c.topK, 40);
    EXPECT_EQ(c.maxTokens, 300);  // max_completion_tokens wins over the legacy max_tokens
    ASSERT_EQ(c.stop.size(), 1u);
    EXPECT_EQ(c.stop[0], "END");
    EXPECT_EQ(c.candidateCount, 2);
    EXPECT_EQ(c.seed, 7);
    EXPECT_DOUBLE_EQ(*c.presencePenalty, 0.5);
    EXPECT_DOUBLE_EQ(*c.frequencyPenalty, -0.5);
    EXPECT_EQ(c.reasoning.effort, "high");
    EXPECT_FALSE(c.reasoning.budget);
    EXPECT_EQ(c.user, "u-1");

    const Conversation d = decode(R"({"messages":[],"max_tokens":50,"stop":["a","b"]})");
    EXPECT_EQ(d.maxTokens, 50);
    EXPECT_EQ(d.stop, (std::vector<std::string>{"a", "b"}));
    EXPECT_FALSE(d.temperature);
    EXPECT_FALSE(d.reasoning.given());
}

TEST(ChatDecodeRequest, ResponseFormats) {
    const Conversation c = decode(R"({"messages":[],"response_format":{"type":"json_schema",
        "json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}}}}}})");
    EXPECT_EQ(c.responseFormat.kind, ResponseFormat::Kind::JsonSchema);
    EXPECT_EQ(c.responseFormat.name, "answer");
    EXPECT_EQ(c.responseFormat.strict, true);
    ASSERT_TRUE(c.responseFormat.schema);
    EXPECT_EQ(str(*c.responseFormat.schema, "properties.a.type"), "string");
    EXPECT_EQ(decode(R"({"messages":[],"response_format":{"type":"json_object"}})").responseFormat.kind,
              ResponseFormat::Kind::JsonObject);
    EXPECT_EQ(decode(R"({"messages":[],"response_format":{"type":"text"}})").responseFormat.kind,
              ResponseFormat::Kind::Text);
    EXPECT_EQ(translateError([] { decode(R"({"messages":[],"response_format":{"type":"xml"}})"); }).param,
              "response_format.type");
}

TEST(ChatDecodeRequest, WrongShapedBodiesNameTheField) {
    struct Case {
        const char* body;
        const char* param;
    };
    const Case cases[] = {
        {R"({"model":"m"})", "messages"},
        {R"({"model":"m","input":"hi","instructions":"be brief"})", "messages"},
        {R"({"messages":{"role":"user"}})", "messages"},
        {R"({"messages":["hi"]})", "messages[0]"},
        {R"({"messages":[{"content":"no role"}]})", "messages[0].role"},
        {R"({"messages":[{"role":"user","content":"ok"},{"role":"user","content":42}]})", "messages[1].content"},
        {R"({"messages":[{"role":"user","content":[{"type":"video","video":{}}]}]})", "messages[0].content[0].type"},
        {R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]})",
         "messages[0].content[0].image_url.url"},
        {R"({"messages":[{"role":"wizard","content":"x"}]})", "messages[0].role"},
        {R"({"messages":[{"role":"assistant","tool_calls":{}}]})", "messages[0].tool_calls"},
        {R"({"messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"arguments":"{}"}}]}]})",
         "messages[0].tool_calls[0].function.name"},
        {R"({"messages":[],"tools":{}})", "tools"},
        {R"({"messages":[],"tools":[{"type":"function","function":{"description":"no name"}}]})",
         "tools[0].function.name"},
        {R"({"messages":[],"temperature":"hot"})", "temperature"},
        {R"({"messages":[],"max_tokens":"many"})", "max_tokens"},
        {R"({"messages":[],"stop":5})", "stop"},
        {R"({"messages":[],"tool_choice":{"type":"function"}})", "tool_choice"},
    };
    for (const Case& tc : cases) {
        const TranslateError e = translateError([&] { decode(tc.body); });
        EXPECT_EQ(e.param, tc.param) << tc.body << " → " << e.what();
        EXPECT_STRNE(e.what(), "") << tc.body;
    }
    EXPECT_STREQ(translateError([] { decode(R"({"model":"m"})"); }).what(), "messages is required");
    EXPECT_THROW(codec().decodeRequest(json("[1,2]"), "m", false), TranslateError);
    EXPECT_THROW(codec().decodeRequest(json("\"text\""), "m", false), TranslateError);
}

}  // namespace
}  // namespace cpa::proxy::translate
