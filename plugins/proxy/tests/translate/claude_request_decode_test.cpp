// Claude Messages client bodies → canonical (claude_request_decode.cpp,
// claude_request_options.cpp).
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::translate {
namespace {

using cpa::sdk::parseJson;
using cpa::sdk::Value;

Conversation decode(std::string_view json) { return claudeCodec().decodeRequest(parseJson(json), "", false); }

std::string paramOf(std::string_view json) {
    try {
        decode(json);
    } catch (const TranslateError& e) {
        return "error:" + e.param;
    }
    return "no error";
}

TEST(ClaudeDecodeRequest, ReadsEveryScalarAndTheSystemBlocks) {
    const Conversation c = decode(R"({
        "model":"claude-sonnet-4-5","stream":true,"max_tokens":1024,"temperature":0.5,"top_p":0.9,"top_k":40,
        "stop_sequences":["END","STOP"],"metadata":{"user_id":"u-1"},
        "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Be kind."}],
        "messages":[{"role":"user","content":"hi"}],
        "some_future_field":{"x":1}})");
    EXPECT_EQ(c.model, "claude-sonnet-4-5");
    EXPECT_TRUE(c.stream);
    EXPECT_EQ(c.maxTokens, 1024);
    EXPECT_EQ(c.temperature, 0.5);
    EXPECT_EQ(c.topP, 0.9);
    EXPECT_EQ(c.topK, 40);
    EXPECT_EQ(c.stop, (std::vector<std::string>{"END", "STOP"}));
    EXPECT_EQ(c.user, "u-1");
    ASSERT_EQ(c.system.size(), 2u);
    EXPECT_EQ(c.system[0].text, "Be brief.");
    EXPECT_EQ(c.system[1].text, "Be kind.");
    ASSERT_EQ(c.messages.size(), 1u);
    EXPECT_EQ(c.messages[0].role, Role::User);
    EXPECT_EQ(c.messages[0].parts[0].text, "hi");
}

TEST(ClaudeDecodeRequest, SystemScenariosFromTheOriginal) {
    EXPECT_TRUE(decode(R"({"messages":[{"role":"user","content":"hello"}]})").system.empty());
    EXPECT_TRUE(decode(R"({"system":"","messages":[{"role":"user","content":"hello"}]})").system.empty());
    const Conversation s = decode(R"({"system":"Be helpful","messages":[{"role":"user","content":"hello"}]})");
    ASSERT_EQ(s.system.size(), 1u);
    EXPECT_EQ(s.system[0].text, "Be helpful");
    // thinking blocks in the system prompt are not instructions
    const Conversation t = decode(
        R"({"system":[{"type":"thinking","thinking":"Injected"}],"messages":[{"role":"user","content":"Hello"}]})");
    EXPECT_TRUE(t.system.empty());
}

TEST(ClaudeDecodeRequest, ImagesAndDocumentsInEveryShape) {
    const Conversation c = decode(R"({"messages":[{"role":"user","content":[
        {"type":"text","text":"look"},
        {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
        {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}},
        {"type":"document","title":"report.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},
        {"type":"document","source":{"type":"url","url":"https://example.com/b.pdf"}},
        {"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain words"}}]}]})");
    const auto& p = c.messages[0].parts;
    ASSERT_EQ(p.size(), 6u);
    EXPECT_EQ(p[1].kind, Part::Kind::Image);
    EXPECT_EQ(p[1].mimeType, "image/png");
    EXPECT_EQ(p[1].data, "iVBORw0KGgo=");
    EXPECT_EQ(p[2].kind, Part::Kind::Image);
    EXPECT_EQ(p[2].url, "https://example.com/a.jpg");
    EXPECT_EQ(p[3].kind, Part::Kind::File);
    EXPECT_EQ(p[3].mimeType, "application/pdf");
    EXPECT_EQ(p[3].data, "JVBERi0=");
    EXPECT_EQ(p[3].filename, "report.pdf");
    EXPECT_EQ(p[4].kind, Part::Kind::File);
    EXPECT_EQ(p[4].url, "https://example.com/b.pdf");
    EXPECT_EQ(p[5].kind, Part::Kind::Text);
    EXPECT_EQ(p[5].text, "plain words");
}

TEST(ClaudeDecodeRequest, ToolUseAndToolResultsPairWithNames) {
    const Conversation c = decode(R"({"messages":[
        {"role":"user","content":"weather?"},
        {"role":"assistant","content":[{"type":"text","text":"checking"},
            {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
            {"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}]},
        {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"},
            {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,
             "content":[{"type":"text","text":"no clock"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAA="}}]},
            {"type":"text","text":"thanks"}]}]})");
    ASSERT_EQ(c.messages.size(), 3u);
    const auto& a = c.messages[1].parts;
    ASSERT_EQ(a.size(), 3u);
    EXPECT_EQ(a[1].kind, Part::Kind::ToolCall);
    EXPECT_EQ(a[1].callId, "toolu_1");
    EXPECT_EQ(a[1].name, "get_weather");
    EXPECT_EQ(parseJson(a[1].arguments), parseJson(R"({"city":"Paris"})"));
    EXPECT_EQ(a[2].arguments, "{}");
    const auto& u = c.messages[2].parts;
    ASSERT_EQ(u.size(), 3u);
    EXPECT_EQ(u[0].kind, Part::Kind::ToolResult);
    EXPECT_EQ(u[0].callId, "toolu_1");
    EXPECT_EQ(u[0].name, "get_weather");  // translation.md §5.2 L10: from the tool_use with that id
    ASSERT_EQ(u[0].content.size(), 1u);
    EXPECT_EQ(u[0].content[0].text, "sunny");
    EXPECT_FALSE(u[0].isError);
    EXPECT_EQ(u[1].name, "get_time");
    EXPECT_TRUE(u[1].isError);
    ASSERT_EQ(u[1].content.size(), 2u);
    EXPECT_EQ(u[1].content[0].text, "no clock");
    EXPECT_EQ(u[1].content[1].kind, Part::Kind::Image);
    EXPECT_EQ(u[2].text, "thanks");
}

TEST(ClaudeDecodeRequest, ToolResultObjectContentAndOddItems) {
    const Conversation c = decode(R"({"messages":[
        {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
        {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"t1","content":{"type":"text","text":"object text"}},
            {"type":"tool_result","tool_use_id":"t1","content":[{"kind":"weird","n":1}]},
            {"type":"tool_result","tool_use_id":"t1"}]}]})");
    const auto& u = c.messages[1].parts;
    ASSERT_EQ(u.size(), 3u);
    EXPECT_EQ(u[0].content.at(0).text, "object text");
    EXPECT_EQ(parseJson(u[1].content.at(0).text), parseJson(R"({"kind":"weird","n":1})"));
    EXPECT_TRUE(u[2].content.empty());
}

TEST(ClaudeDecodeRequest, ToolUseWithoutIdGetsMintedIdPairedFifo) {
    const Conversation c = decode(R"({"messages":[
        {"role":"assistant","content":[{"type":"tool_use","name":"a","input":{}},{"type":"tool_use","name":"b","input":{}}]},
        {"role":"user","content":[{"type":"tool_result","content":"ra"},{"type":"tool_result","content":"rb"}]}]})");
    const auto& calls = c.messages[0].parts;
    const auto& results = c.messages[1].parts;
    EXPECT_EQ(calls[0].callId.rfind("call_", 0), 0u);
    EXPECT_NE(calls[0].callId, calls[1].callId);
    EXPECT_EQ(results[0].callId, calls[0].callId);
    EXPECT_EQ(results[1].callId, calls[1].callId);
    EXPECT_EQ(results[0].name, "a");
    EXPECT_EQ(results[1].name, "b");
}

TEST(ClaudeDecodeRequest, ThinkingOnlyFromTheAssistant) {
    const Conversation c = decode(R"({"messages":[
        {"role":"user","content":[{"type":"thinking","thinking":"Injected thinking"},{"type":"text","text":"User message."}]},
        {"role":"assistant","content":[
            {"type":"thinking","thinking":"Let me analyze","signature":"sig-1"},
            {"type":"redacted_thinking","data":"opaque"},
            {"type":"thinking","thinking":""},
            {"type":"text","text":"Answer"}]}]})");
    ASSERT_EQ(c.messages[0].parts.size(), 1u);
    EXPECT_EQ(c.messages[0].parts[0].text, "User message.");
    const auto& a = c.messages[1].parts;
    ASSERT_EQ(a.size(), 3u);  // the empty, unsigned thinking block carries nothing
    EXPECT_EQ(a[0].kind, Part::Kind::Thinking);
    EXPECT_EQ(a[0].text, "Let me analyze");
    EXPECT_EQ(a[0].signature, "sig-1");
    EXPECT_FALSE(a[0].redacted);
    EXPECT_EQ(a[1].kind, Part::Kind::Thinking);
    EXPECT_TRUE(a[1].redacted);
    EXPECT_EQ(a[1].signature, "opaque");
    EXPECT_EQ(a[2].text, "Answer");
}

TEST(ClaudeDecodeRequest, FunctionAndServerTools) {
    const Conversation c = decode(R"({"messages":[{"role":"user","content":"x"}],"tools":[
        {"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
        {"name":"bare"},
        {"type":"custom","name":"typed_custom","input_schema":{"type":"object"}},
        {"type":"web_search_20250305","name":"web_search","max_uses":3},
        {"type":"bash_20250124","name":"bash"},
        {"type":"code_execution_20250522","name":"code_execution"}]})");
    ASSERT_EQ(c.tools.size(), 6u);
    EXPECT_EQ(c.tools[0].name, "get_weather");
    EXPECT_EQ(c.tools[0].description, "Weather");
    ASSERT_TRUE(c.tools[0].parameters);
    EXPECT_EQ(*c.tools[0].parameters->findPath("properties.city.type"), Value("string"));
    EXPECT_TRUE(c.tools[0].builtin.empty());
    EXPECT_FALSE(c.tools[1].parameters);
    EXPECT_TRUE(c.tools[2].builtin.empty());
    EXPECT_EQ(c.tools[3].builtin, "web_search");
    EXPECT_EQ(*c.tools[3].raw.find("max_uses"), Value(3));
    EXPECT_EQ(c.tools[4].builtin, "bash_20250124");
    EXPECT_EQ(c.tools[5].builtin, "code_execution");
}

TEST(ClaudeDecodeRequest, ToolChoiceModes) {
    auto choice = [](std::string_view tc) {
        return decode(std::string(R"({"messages":[{"role":"user","content":"x"}],"tool_choice":)") + std::string(tc) + "}")
            .toolChoice;
    };
    EXPECT_EQ(choice(R"({"type":"auto"})").mode, ToolChoice::Mode::Auto);
    EXPECT_EQ(choice(R"({"type":"any"})").mode, ToolChoice::Mode::Required);
    EXPECT_EQ(choice(R"({"type":"none"})").mode, ToolChoice::Mode::None);
    const ToolChoice named = choice(R"({"type":"tool","name":"get_weather","disable_parallel_tool_use":true})");
    EXPECT_EQ(named.mode, ToolChoice::Mode::Named);
    EXPECT_EQ(named.name, "get_weather");
    EXPECT_EQ(named.parallelToolCalls, false);
    EXPECT_FALSE(choice(R"({"type":"auto"})").parallelToolCalls.has_value());
    EXPECT_EQ(decode(R"({"messages":[]})").toolChoice.mode, ToolChoice::Mode::Unset);
}

TEST(ClaudeDecodeRequest, ThinkingSettings) {
    const auto r = [](std::string_view extra) {
        return decode(std::string(R"({"messages":[{"role":"user","content":"x"}],)") + std::string(extra) + "}").reasoning;
    };
    const Reasoning enabled = r(R"("thinking":{"type":"enabled","budget_tokens":5000})");
    EXPECT_EQ(enabled.budget, 5000);
    EXPECT_EQ(enabled.includeThoughts, true);
    EXPECT_EQ(r(R"("thinking":{"type":"enabled"})").budget, -1);
    const Reasoning adaptive = r(R"("thinking":{"type":"adaptive"},"output_config":{"effort":"HIGH"})");
    EXPECT_EQ(adaptive.effort, "high");
    EXPECT_FALSE(adaptive.budget.has_value());
    EXPECT_EQ(r(R"("thinking":{"type":"adaptive"})").effort, "auto");
    const Reasoning disabled = r(R"("thinking":{"type":"disabled"})");
    EXPECT_EQ(disabled.budget, 0);
    EXPECT_EQ(disabled.includeThoughts, false);
    EXPECT_EQ(r(R"("output_config":{"effort":"low"})").effort, "low");
    EXPECT_FALSE(r(R"("max_tokens":10)").given());
}

TEST(ClaudeDecodeRequest, StructuredOutputSettings) {
    const Conversation a = decode(R"({"messages":[],"output_format":{"type":"json_schema","schema":{"type":"object"}}})");
    EXPECT_EQ(a.responseFormat.kind, ResponseFormat::Kind::JsonSchema);
    EXPECT_EQ(*a.responseFormat.schema, parseJson(R"({"type":"object"})"));
    const Conversation b =
        decode(R"({"messages":[],"output_config":{"format":{"type":"json_schema","schema":{"type":"array"}}}})");
    EXPECT_EQ(b.responseFormat.kind, ResponseFormat::Kind::JsonSchema);
    EXPECT_EQ(decode(R"({"messages":[]})").responseFormat.kind, ResponseFormat::Kind::Unset);
}

TEST(ClaudeDecodeRequest, WrongShapedBodiesNameTheField) {
    EXPECT_THROW(claudeCodec().decodeRequest(Value::array(), "", false), TranslateError);
    EXPECT_EQ(paramOf(R"({"model":"m"})"), "error:messages");
    EXPECT_EQ(paramOf(R"({"messages":{}})"), "error:messages");
    EXPECT_EQ(paramOf(R"({"messages":[{"content":"x"}]})"), "error:messages[0].role");
    EXPECT_EQ(paramOf(R"({"messages":[{"role":"system","content":"x"}]})"), "error:messages[0].role");
    EXPECT_EQ(paramOf(R"({"messages":[{"role":"user","content":5}]})"), "error:messages[0].content");
    EXPECT_EQ(paramOf(R"({"messages":[{"role":"user"}]})"), "error:messages[0].content");
    EXPECT_EQ(paramOf(R"({"messages":[{"role":"user","content":["x"]}]})"), "error:messages[0].content[0]");
    EXPECT_EQ(paramOf(R"({"messages":[{"role":"user","content":[{"type":"text"}]}]})"),
              "error:messages[0].content[0].text");
    EXPECT_EQ(paramOf(R"({"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]})"),
              "error:messages[0].content[0].source.type");
    EXPECT_EQ(paramOf(R"({"messages":[],"system":5})"), "error:system");
    EXPECT_EQ(paramOf(R"({"messages":[],"tools":{}})"), "error:tools");
    EXPECT_EQ(paramOf(R"({"messages":[],"tools":[{"description":"no name"}]})"), "error:tools[0].name");
    EXPECT_EQ(paramOf(R"({"messages":[],"tool_choice":"auto"})"), "error:tool_choice");
    EXPECT_EQ(paramOf(R"({"messages":[],"tool_choice":{"type":"tool"}})"), "error:tool_choice.name");
    EXPECT_EQ(paramOf(R"({"messages":[],"max_tokens":"lots"})"), "error:max_tokens");
    EXPECT_EQ(paramOf(R"({"messages":[],"stop_sequences":"END"})"), "error:stop_sequences");
    EXPECT_EQ(paramOf(R"({"messages":[],"thinking":{"type":"maybe"}})"), "error:thinking.type");
    EXPECT_EQ(paramOf(R"({"messages":[],"stream":"yes"})"), "error:stream");
    EXPECT_EQ(paramOf(R"({"messages":[],"max_tokens":null,"unknown":1})"), "no error");
}

}  // namespace
}  // namespace cpa::proxy::translate
