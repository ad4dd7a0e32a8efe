// The Responses codec, client side: /v1/responses bodies → canonical.
#include "responses_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace rtest;

Conversation decode(std::string_view body) { return responses().decodeRequest(json(body), "route-model", false); }

TEST(ResponsesDecodeRequest, StringInputIsOneUserTurnAndModelStreamComeFromTheBody) {
    const Conversation c = decode(R"({"model":"gpt-5","input":"hi","stream":true})");
    EXPECT_EQ(c.model, "gpt-5");
    EXPECT_TRUE(c.stream);
    ASSERT_EQ(c.messages.size(), 1u);
    EXPECT_EQ(c.messages[0].role, Role::User);
    ASSERT_EQ(c.messages[0].parts.size(), 1u);
    EXPECT_EQ(c.messages[0].parts[0].text, "hi");
    const Conversation d = responses().decodeRequest(json(R"({"input":"x"})"), "route-model", true);
    EXPECT_EQ(d.model, "route-model");
    EXPECT_TRUE(d.stream);
    EXPECT_TRUE(decode(R"({"input":""})").messages.empty());
}

TEST(ResponsesDecodeRequest, InstructionsSystemAndDeveloperItemsBecomeSystemInOrder) {
    const Conversation c = decode(R"({"instructions":"Be brief.","input":[
        {"role":"system","content":"sys"},
        {"type":"message","role":"developer","content":[{"type":"input_text","text":"dev"}]},
        {"role":"user","content":"q"}]})");
    ASSERT_EQ(c.system.size(), 3u);
    EXPECT_EQ(c.system[0].text, "Be brief.");
    EXPECT_EQ(c.system[1].text, "sys");
    EXPECT_EQ(c.system[2].text, "dev");
    ASSERT_EQ(c.messages.size(), 1u);
}

TEST(ResponsesDecodeRequest, MultiTurnMessagesKeepRolesAndTexts) {
    const Conversation c = decode(R"({"input":[
        {"type":"message","role":"user","content":[{"type":"input_text","text":"one"}]},
        {"type":"message","role":"assistant","content":[{"type":"output_text","text":"two","annotations":[]}]},
        {"type":"message","role":"user","content":"three"}]})");
    ASSERT_EQ(c.messages.size(), 3u);
    EXPECT_EQ(c.messages[0].role, Role::User);
    EXPECT_EQ(c.messages[1].role, Role::Assistant);
    EXPECT_EQ(c.messages[1].parts[0].text, "two");
    EXPECT_EQ(c.messages[2].parts[0].text, "three");
}

TEST(ResponsesDecodeRequest, ImagesFilesAndAudioParts) {
    const Conversation c = decode(R"({"input":[{"role":"user","content":[
        {"type":"input_image","image_url":"data:image/png;base64,iVBORw0K"},
        {"type":"input_image","image_url":"https://example.com/cat.jpg","detail":"high"},
        {"type":"input_image","image_url":{"url":"https://example.com/dog.jpg"}},
        {"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0x","filename":"a.pdf"},
        {"type":"input_file","file_data":"JVBERi0y","filename":"b.pdf"},
        {"type":"input_file","file_url":"https://example.com/c.pdf"},
        {"type":"input_audio","data":"UklGRg==","format":"mp3"},
        {"type":"input_audio","input_audio":{"data":"T2dnUw==","format":"ogg"}}]}]})");
    ASSERT_EQ(c.messages.size(), 1u);
    const auto& p = c.messages[0].parts;
    ASSERT_EQ(p.size(), 8u);
    EXPECT_EQ(p[0].kind, Part::Kind::Image);
    EXPECT_EQ(p[0].mimeType, "image/png");
    EXPECT_EQ(p[0].data, "iVBORw0K");
    EXPECT_EQ(p[1].url, "https://example.com/cat.jpg");
    EXPECT_EQ(p[2].url, "https://example.com/dog.jpg");
    EXPECT_EQ(p[3].kind, Part::Kind::File);
    EXPECT_EQ(p[3].mimeType, "application/pdf");
    EXPECT_EQ(p[3].data, "JVBERi0x");
    EXPECT_EQ(p[3].filename, "a.pdf");
    EXPECT_EQ(p[4].mimeType, "application/pdf");
    EXPECT_EQ(p[4].data, "JVBERi0y");
    EXPECT_EQ(p[5].url, "https://example.com/c.pdf");
    EXPECT_EQ(p[6].kind, Part::Kind::Audio);
    EXPECT_EQ(p[6].mimeType, "audio/mpeg");
    EXPECT_EQ(p[7].mimeType, "audio/ogg");
    EXPECT_EQ(p[7].data, "T2dnUw==");
}

TEST(ResponsesDecodeRequest, CallsAndOutputsPairAndShareTurns) {
    const Conversation c = decode(R"({"input":[
        {"role":"user","content":"weather?"},
        {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"think"}],"encrypted_content":"gAAAAenc"},
        {"type":"message","role":"assistant","content":[{"type":"output_text","text":"checking"}]},
        {"type":"function_call","call_id":"call_a","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
        {"type":"function_call","call_id":"call_b","name":"get_time","arguments":""},
        {"type":"function_call_output","call_id":"call_a","output":"sunny"},
        {"type":"function_call_output","call_id":"call_b","output":[{"type":"input_text","text":"noon"},
            {"type":"input_image","image_url":"data:image/png;base64,AAAA"}]},
        {"role":"user","content":"thanks"}]})");
    ASSERT_EQ(c.messages.size(), 3u);
    const auto& a = c.messages[1];
    EXPECT_EQ(a.role, Role::Assistant);
    ASSERT_EQ(a.parts.size(), 4u);
    EXPECT_EQ(a.parts[0].kind, Part::Kind::Thinking);
    EXPECT_EQ(a.parts[0].text, "think");
    EXPECT_EQ(a.parts[0].signature, "gAAAAenc");
    EXPECT_EQ(a.parts[1].text, "checking");
    EXPECT_EQ(a.parts[2].kind, Part::Kind::ToolCall);
    EXPECT_EQ(a.parts[2].callId, "call_a");
    EXPECT_EQ(a.parts[2].arguments, R"({"city":"Paris"})");
    EXPECT_EQ(a.parts[3].arguments, "{}");
    const auto& u = c.messages[2];
    EXPECT_EQ(u.role, Role::User);
    ASSERT_EQ(u.parts.size(), 3u);
    EXPECT_EQ(u.parts[0].kind, Part::Kind::ToolResult);
    EXPECT_EQ(u.parts[0].name, "get_weather");
    ASSERT_EQ(u.parts[0].content.size(), 1u);
    EXPECT_EQ(u.parts[0].content[0].text, "sunny");
    EXPECT_EQ(u.parts[1].name, "get_time");
    ASSERT_EQ(u.parts[1].content.size(), 2u);
    EXPECT_EQ(u.parts[1].content[1].kind, Part::Kind::Image);
    EXPECT_EQ(u.parts[2].text, "thanks");
}

TEST(ResponsesDecodeRequest, CallsWithoutIdsGetMintedIdsPairedFirstInFirstOut) {
    const Conversation c = decode(R"({"input":[
        {"type":"function_call","name":"a","arguments":"{}"},
        {"type":"function_call","name":"b","arguments":"{}"},
        {"type":"function_call_output","output":"ra"},
        {"type":"function_call_output","output":"rb"}]})");
    ASSERT_EQ(c.messages.size(), 2u);
    const auto& calls = c.messages[0].parts;
    const auto& results = c.messages[1].parts;
    ASSERT_EQ(calls.size(), 2u);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(calls[0].callId.rfind("call_", 0), 0u);
    EXPECT_NE(calls[0].callId, calls[1].callId);
    EXPECT_EQ(results[0].callId, calls[0].callId);
    EXPECT_EQ(results[0].name, "a");
    EXPECT_EQ(results[1].callId, calls[1].callId);
    EXPECT_EQ(results[1].name, "b");
}

TEST(ResponsesDecodeRequest, ObjectOutputsAreJsonText) {
    const Conversation c = decode(R"({"input":[{"type":"function_call_output","call_id":"x","output":{"ok":true}}]})");
    ASSERT_EQ(c.messages.size(), 1u);
    EXPECT_EQ(c.messages[0].parts[0].content[0].text, R"({"ok":true})");
    EXPECT_EQ(c.messages[0].parts[0].name, "");
}

TEST(ResponsesDecodeRequest, ToolsFunctionsAndBuiltins) {
    const Conversation c = decode(R"({"tools":[
        {"type":"function","name":"f","description":"d","parameters":{"type":"object","properties":{}},"strict":true},
        {"type":"web_search_preview","search_context_size":"low"},
        {"type":"web_search"},
        {"type":"code_interpreter","container":{"type":"auto"}},
        {"type":"file_search","vector_store_ids":["vs"]}]})");
    ASSERT_EQ(c.tools.size(), 5u);
    EXPECT_EQ(c.tools[0].name, "f");
    EXPECT_EQ(c.tools[0].description, "d");
    ASSERT_TRUE(c.tools[0].parameters);
    EXPECT_TRUE(c.tools[0].parameters->isObject());
    EXPECT_EQ(c.tools[0].strict, true);
    EXPECT_TRUE(c.tools[0].builtin.empty());
    EXPECT_EQ(c.tools[1].builtin, "web_search");
    EXPECT_EQ(at(c.tools[1].raw, "search_context_size").asString(), "low");
    EXPECT_EQ(c.tools[2].builtin, "web_search");
    EXPECT_EQ(c.tools[3].builtin, "code_execution");
    EXPECT_EQ(c.tools[4].builtin, "file_search");
}

TEST(ResponsesDecodeRequest, ToolChoiceForms) {
    EXPECT_EQ(decode(R"({"tool_choice":"auto"})").toolChoice.mode, ToolChoice::Mode::Auto);
    EXPECT_EQ(decode(R"({"tool_choice":"none"})").toolChoice.mode, ToolChoice::Mode::None);
    EXPECT_EQ(decode(R"({"tool_choice":"required"})").toolChoice.mode, ToolChoice::Mode::Required);
    const Conversation named = decode(R"({"tool_choice":{"type":"function","name":"f"},"parallel_tool_calls":false})");
    EXPECT_EQ(named.toolChoice.mode, ToolChoice::Mode::Named);
    EXPECT_EQ(named.toolChoice.name, "f");
    EXPECT_EQ(named.toolChoice.parallelToolCalls, false);
    EXPECT_EQ(decode(R"({})").toolChoice.mode, ToolChoice::Mode::Unset);
    EXPECT_FALSE(decode(R"({})").toolChoice.parallelToolCalls);
}

TEST(ResponsesDecodeRequest, SamplingLimitsReasoningFormatAndUser) {
    const Conversation c = decode(R"({"temperature":0.2,"top_p":0.9,"max_output_tokens":512,
        "reasoning":{"effort":"High","summary":"detailed"},"user":"u-1",
        "text":{"format":{"type":"json_schema","name":"out","strict":true,"schema":{"type":"object"}}},
        "previous_response_id":"resp_old","store":true,"metadata":{"k":"v"}})");
    EXPECT_EQ(c.temperature, 0.2);
    EXPECT_EQ(c.topP, 0.9);
    EXPECT_EQ(c.maxTokens, 512);
    EXPECT_EQ(c.reasoning.effort, "high");
    EXPECT_EQ(c.reasoning.summary, "detailed");
    EXPECT_EQ(c.user, "u-1");
    EXPECT_EQ(c.responseFormat.kind, ResponseFormat::Kind::JsonSchema);
    EXPECT_EQ(c.responseFormat.name, "out");
    EXPECT_EQ(c.responseFormat.strict, true);
    ASSERT_TRUE(c.responseFormat.schema);
    EXPECT_EQ(decode(R"({"text":{"format":{"type":"json_object"}}})").responseFormat.kind,
              ResponseFormat::Kind::JsonObject);
    EXPECT_EQ(decode(R"({"text":{"format":{"type":"text"}}})").responseFormat.kind, ResponseFormat::Kind::Text);
}

TEST(ResponsesDecodeRequest, EchoOnlyItemsAreIgnored) {
    const Conversation c = decode(R"({"input":[{"type":"item_reference","id":"msg_1"},
        {"type":"web_search_call","id":"ws_1","status":"completed"},{"role":"user","content":"hi"}]})");
    ASSERT_EQ(c.messages.size(), 1u);
}

void expectRejected(std::string_view body, std::string_view param) {
    try {
        (void)decode(body);
        ADD_FAILURE() << "accepted: " << body;
    } catch (const TranslateError& e) {
        EXPECT_EQ(e.param, param) << e.what();
        EXPECT_FALSE(std::string(e.what()).empty());
    }
}

TEST(ResponsesDecodeRequest, WrongShapesAreRefusedWithTheirPath) {
    EXPECT_THROW((void)responses().decodeRequest(json("[1]"), "m", false), TranslateError);
    expectRejected(R"({"input":42})", "input");
    expectRejected(R"({"input":[7]})", "input[0]");
    expectRejected(R"({"input":[{"content":"no role"}]})", "input[0].role");
    expectRejected(R"({"input":[{"role":"robot","content":"x"}]})", "input[0].role");
    expectRejected(R"({"input":[{"role":"user","content":5}]})", "input[0].content");
    expectRejected(R"({"input":[{"role":"user","content":["x"]}]})", "input[0].content[0]");
    expectRejected(R"({"input":[{"role":"user","content":[{"type":"input_text","text":1}]}]})", "input[0].content[0].text");
    expectRejected(R"({"input":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]})",
                   "input[0].content[0].file_id");
    expectRejected(R"({"input":[{"type":"function_call","call_id":"c"}]})", "input[0].name");
    expectRejected(R"({"tools":{}})", "tools");
    expectRejected(R"({"tools":[{"type":"function"}]})", "tools[0].name");
    expectRejected(R"({"tool_choice":"sometimes"})", "tool_choice");
    expectRejected(R"({"tool_choice":{"type":"function"}})", "tool_choice.name");
    expectRejected(R"({"temperature":"hot"})", "temperature");
    expectRejected(R"({"instructions":5})", "instructions");
    expectRejected(R"({"text":{"format":{"type":"yaml"}}})", "text.format.type");
}

}  // namespace
}  // namespace cpa::proxy::translate
