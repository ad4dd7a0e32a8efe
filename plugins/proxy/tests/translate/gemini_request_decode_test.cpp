// Gemini client bodies → canonical Conversation.
#include "gemini_test_helpers.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::translate::gemini_test {
namespace {

TEST(GeminiRequestDecode, ModelAndStreamComeFromTheUrlAndSystemFromEitherSpelling) {
    const Conversation camel = decode(R"({"systemInstruction":{"parts":[{"text":"be brief"},{"text":"be kind"}]},
        "contents":[{"role":"user","parts":[{"text":"hi"}]}]})", "gemini-2.5-flash", true);
    EXPECT_EQ(camel.model, "gemini-2.5-flash");
    EXPECT_TRUE(camel.stream);
    ASSERT_EQ(camel.system.size(), 2u);
    EXPECT_EQ(camel.system[0].text, "be brief");
    EXPECT_EQ(camel.system[1].text, "be kind");
    const Conversation snake = decode(R"({"system_instruction":{"parts":[{"text":"snake"}]},
        "contents":[{"role":"user","parts":[{"text":"hi"}]}]})");
    ASSERT_EQ(snake.system.size(), 1u);
    EXPECT_EQ(snake.system[0].text, "snake");
    ASSERT_EQ(snake.messages.size(), 1u);
    EXPECT_EQ(snake.messages[0].role, Role::User);
}

TEST(GeminiRequestDecode, MultiTurnRolesAndMissingRolesAlternate) {
    const Conversation c = decode(R"({"contents":[
        {"role":"user","parts":[{"text":"one"}]},
        {"role":"model","parts":[{"text":"two"}]},
        {"parts":[{"text":"three"}]},
        {"parts":[{"text":"four"}]}]})");
    ASSERT_EQ(c.messages.size(), 4u);
    EXPECT_EQ(c.messages[0].role, Role::User);
    EXPECT_EQ(c.messages[1].role, Role::Assistant);
    EXPECT_EQ(c.messages[1].parts[0].text, "two");
    EXPECT_EQ(c.messages[2].role, Role::User);
    EXPECT_EQ(c.messages[3].role, Role::Assistant);
}

TEST(GeminiRequestDecode, InlineAndFileDataInBothSpellings) {
    const Conversation c = decode(R"({"contents":[{"role":"user","parts":[
        {"inlineData":{"mimeType":"image/png","data":"iVBOR"}},
        {"inline_data":{"mime_type":"audio/wav","data":"UklGR"}},
        {"inlineData":{"mimeType":"application/pdf","data":"JVBER"}},
        {"fileData":{"fileUri":"https://example.com/cat.jpg","mimeType":"image/jpeg"}},
        {"file_data":{"file_uri":"gs://bucket/doc.pdf"}},
        {"fileData":{"fileUri":"https://example.com/pic.webp"}}]}]})");
    const auto& p = c.messages.at(0).parts;
    ASSERT_EQ(p.size(), 6u);
    EXPECT_EQ(p[0].kind, Part::Kind::Image);
    EXPECT_EQ(p[0].mimeType, "image/png");
    EXPECT_EQ(p[0].data, "iVBOR");
    EXPECT_EQ(p[1].kind, Part::Kind::Audio);
    EXPECT_EQ(p[1].mimeType, "audio/wav");
    EXPECT_EQ(p[2].kind, Part::Kind::File);
    EXPECT_EQ(p[2].data, "JVBER");
    EXPECT_EQ(p[3].kind, Part::Kind::Image);
    EXPECT_EQ(p[3].url, "https://example.com/cat.jpg");
    EXPECT_EQ(p[4].kind, Part::Kind::File);
    EXPECT_EQ(p[4].url, "gs://bucket/doc.pdf");
    EXPECT_EQ(p[4].mimeType, "application/pdf");
    EXPECT_EQ(p[5].kind, Part::Kind::Image);
    EXPECT_EQ(p[5].mimeType, "image/webp");
}

TEST(GeminiRequestDecode, ThoughtPartsBecomeThinkingWithTheirSignature) {
    const Conversation c = decode(R"({"contents":[{"role":"user","parts":[{"text":"q"}]},
        {"role":"model","parts":[{"text":"pondering","thought":true,"thoughtSignature":"sig-1"},{"text":"answer"}]}]})");
    const auto& p = c.messages.at(1).parts;
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].kind, Part::Kind::Thinking);
    EXPECT_EQ(p[0].text, "pondering");
    EXPECT_EQ(p[0].signature, "sig-1");
    EXPECT_EQ(p[1].kind, Part::Kind::Text);
}

TEST(GeminiRequestDecode, FunctionCallsGetIdsAndResponsesPairFifo) {
    // Parallel calls without ids, answered in order (spec L9: FIFO, not "the last call").
    const Conversation c = decode(R"({"contents":[
        {"role":"user","parts":[{"text":"look"}]},
        {"role":"model","parts":[{"functionCall":{"name":"Read","args":{"path":"/a"}},"thoughtSignature":"gsig"},
                                 {"functionCall":{"name":"Grep","args":{"pattern":"x"}}}]},
        {"role":"user","parts":[{"functionResponse":{"name":"","response":{"result":"content a"}}},
                                {"functionResponse":{"name":"","response":{"result":"match x"}}}]}]})");
    ASSERT_EQ(c.messages.size(), 3u);
    const auto& calls = c.messages[1].parts;
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].kind, Part::Kind::ToolCall);
    EXPECT_EQ(calls[0].callId.rfind("call_", 0), 0u);
    EXPECT_EQ(calls[0].callId.size(), 5u + 24u);
    EXPECT_NE(calls[0].callId, calls[1].callId);
    EXPECT_EQ(calls[0].name, "Read");
    EXPECT_EQ(J(calls[0].arguments), J(R"({"path":"/a"})"));
    EXPECT_EQ(calls[0].signature, "gsig");
    const auto& results = c.messages[2].parts;
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].kind, Part::Kind::ToolResult);
    EXPECT_EQ(results[0].callId, calls[0].callId);
    EXPECT_EQ(results[0].name, "Read");  // back-filled from the call (original's BackfillEmptyFunctionResponseNames)
    EXPECT_EQ(results[1].callId, calls[1].callId);
    EXPECT_EQ(results[1].name, "Grep");
    ASSERT_EQ(results[0].content.size(), 1u);
    EXPECT_EQ(results[0].content[0].text, "content a") << "a lone string result is unwrapped";
}

TEST(GeminiRequestDecode, ResponsesPairByIdThenByName) {
    const Conversation c = decode(R"({"contents":[
        {"role":"model","parts":[{"functionCall":{"id":"c1","name":"a","args":{}}},
                                 {"functionCall":{"id":"c2","name":"b"}}]},
        {"role":"function","parts":[{"functionResponse":{"name":"b","response":{"output":"from b"}}}]},
        {"role":"function","parts":[{"functionResponse":{"id":"c1","name":"a","response":{"content":"from a"}}}]}]})");
    ASSERT_EQ(c.messages.size(), 2u);  // the two function turns merge into one tool-result turn
    EXPECT_EQ(c.messages[0].parts[1].arguments, "{}");
    const auto& r = c.messages[1].parts;
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].callId, "c2");
    EXPECT_EQ(r[0].content.at(0).text, "from b");  // response.output as a string
    EXPECT_EQ(r[1].callId, "c1");
    EXPECT_EQ(r[1].content.at(0).text, "from a");  // response.content as a string
}

TEST(GeminiRequestDecode, MoreResponsesThanCallsGetFreshIdsAndAnErrorKeyMarksAFailure) {
    const Conversation c = decode(R"({"contents":[
        {"role":"model","parts":[{"functionCall":{"name":"Bash","args":{"cmd":"ls"}}}]},
        {"role":"user","parts":[{"functionResponse":{"name":"","response":{"output":"file1.txt"}}},
                                {"functionResponse":{"name":"Other","response":{"error":"boom"}}}]}]})");
    const auto& r = c.messages.at(1).parts;
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].name, "Bash");
    EXPECT_EQ(r[0].content.at(0).text, "file1.txt");
    EXPECT_EQ(r[1].name, "Other");
    EXPECT_EQ(r[1].callId.rfind("call_", 0), 0u);
    EXPECT_NE(r[1].callId, r[0].callId);
    EXPECT_TRUE(r[1].isError);
    EXPECT_EQ(r[1].content.at(0).text, "boom");
}

TEST(GeminiRequestDecode, ToolDeclarationsAndBuiltins) {
    const Conversation c = decode(R"({"contents":[{"role":"user","parts":[{"text":"x"}]}],
        "tools":[{"functionDeclarations":[
            {"name":"get_weather","description":"Weather","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}},
            {"name":"raw","parametersJsonSchema":{"type":"object","properties":{"n":{"type":"integer"}}}},
            {"name":"noargs"}]},
          {"googleSearch":{}},{"code_execution":{}},{"urlContext":{}},{"googleMaps":{"enableWidget":true}}]})");
    ASSERT_EQ(c.tools.size(), 7u);
    EXPECT_EQ(c.tools[0].name, "get_weather");
    EXPECT_EQ(c.tools[0].description, "Weather");
    ASSERT_TRUE(c.tools[0].parameters);
    EXPECT_EQ(*c.tools[0].parameters,
              J(R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})"));
    EXPECT_EQ(*c.tools[1].parameters, J(R"({"type":"object","properties":{"n":{"type":"integer"}}})"));
    EXPECT_FALSE(c.tools[2].parameters);
    EXPECT_EQ(c.tools[3].builtin, "google_search");
    EXPECT_EQ(c.tools[4].builtin, "code_execution");
    EXPECT_EQ(c.tools[5].builtin, "url_context");
    EXPECT_EQ(c.tools[6].builtin, "googleMaps");
    EXPECT_EQ(c.tools[6].raw, J(R"({"googleMaps":{"enableWidget":true}})"));
}

TEST(GeminiRequestDecode, ToolConfigModes) {
    auto mode = [](std::string_view tc) {
        return decode(std::string(R"({"contents":[],"toolConfig":)") + std::string(tc) + "}").toolChoice;
    };
    EXPECT_EQ(mode(R"({"functionCallingConfig":{"mode":"AUTO"}})").mode, ToolChoice::Mode::Auto);
    EXPECT_EQ(mode(R"({"functionCallingConfig":{"mode":"NONE"}})").mode, ToolChoice::Mode::None);
    EXPECT_EQ(mode(R"({"functionCallingConfig":{"mode":"ANY"}})").mode, ToolChoice::Mode::Required);
    EXPECT_EQ(mode(R"({"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["a","b"]}})").mode,
              ToolChoice::Mode::Required);
    const ToolChoice named = mode(R"({"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}})");
    EXPECT_EQ(named.mode, ToolChoice::Mode::Named);
    EXPECT_EQ(named.name, "get_weather");
    const ToolChoice snake = decode(R"({"tool_config":{"function_calling_config":{"mode":"NONE"}}})").toolChoice;
    EXPECT_EQ(snake.mode, ToolChoice::Mode::None);
}

TEST(GeminiRequestDecode, GenerationConfigInBothSpellings) {
    const Conversation c = decode(R"({"contents":[],"generationConfig":{"temperature":0.4,"topP":0.9,"topK":40,
        "maxOutputTokens":1024,"stopSequences":["END","STOP"],"candidateCount":2,"seed":7,"presencePenalty":0.5,
        "frequencyPenalty":0.25,"thinkingConfig":{"thinkingBudget":2048,"includeThoughts":true}}})");
    EXPECT_DOUBLE_EQ(*c.temperature, 0.4);
    EXPECT_DOUBLE_EQ(*c.topP, 0.9);
    EXPECT_EQ(*c.topK, 40);
    EXPECT_EQ(*c.maxTokens, 1024);
    EXPECT_EQ(c.stop, (std::vector<std::string>{"END", "STOP"}));
    EXPECT_EQ(*c.candidateCount, 2);
    EXPECT_EQ(*c.seed, 7);
    EXPECT_DOUBLE_EQ(*c.presencePenalty, 0.5);
    EXPECT_DOUBLE_EQ(*c.frequencyPenalty, 0.25);
    EXPECT_EQ(*c.reasoning.budget, 2048);
    EXPECT_TRUE(*c.reasoning.includeThoughts);
    const Conversation s = decode(R"({"generation_config":{"top_p":0.5,"top_k":3,"max_output_tokens":9,
        "stop_sequences":["x"],"thinking_config":{"thinking_level":"HIGH","include_thoughts":false}}})");
    EXPECT_DOUBLE_EQ(*s.topP, 0.5);
    EXPECT_EQ(*s.topK, 3);
    EXPECT_EQ(*s.maxTokens, 9);
    EXPECT_EQ(s.stop, std::vector<std::string>{"x"});
    EXPECT_EQ(s.reasoning.effort, "high");
    EXPECT_FALSE(*s.reasoning.includeThoughts);
    EXPECT_FALSE(s.reasoning.budget);
}

TEST(GeminiRequestDecode, ResponseFormats) {
    auto rf = [](std::string_view gc) {
        return decode(std::string(R"({"generationConfig":)") + std::string(gc) + "}").responseFormat;
    };
    const ResponseFormat js = rf(R"({"responseMimeType":"application/json","responseJsonSchema":{"type":"object"}})");
    EXPECT_EQ(js.kind, ResponseFormat::Kind::JsonSchema);
    EXPECT_EQ(*js.schema, J(R"({"type":"object"})"));
    const ResponseFormat openapi = rf(R"({"responseMimeType":"application/json","responseSchema":{"type":"ARRAY","items":{"type":"STRING"}}})");
    EXPECT_EQ(openapi.kind, ResponseFormat::Kind::JsonSchema);
    EXPECT_EQ(*openapi.schema, J(R"({"type":"array","items":{"type":"string"}})"));
    EXPECT_EQ(rf(R"({"responseMimeType":"application/json"})").kind, ResponseFormat::Kind::JsonObject);
    EXPECT_EQ(rf(R"({"response_mime_type":"text/plain"})").kind, ResponseFormat::Kind::Text);
    EXPECT_EQ(rf(R"({})").kind, ResponseFormat::Kind::Unset);
}

TEST(GeminiRequestDecode, CountTokensMayWrapAGenerateRequest) {
    const Conversation c = decode(R"({"generateContentRequest":{"model":"models/x",
        "contents":[{"role":"user","parts":[{"text":"count me"}]}],"systemInstruction":{"parts":[{"text":"s"}]}}})");
    ASSERT_EQ(c.messages.size(), 1u);
    EXPECT_EQ(c.messages[0].parts[0].text, "count me");
    EXPECT_EQ(c.system.at(0).text, "s");
}

TEST(GeminiRequestDecode, CodeExecutionHistoryBecomesTextAndUnknownPartsAreIgnored) {
    const Conversation c = decode(R"j({"contents":[{"role":"user","parts":[{"text":"q"},{"videoMetadata":{}}]},
        {"role":"model","parts":[{"executableCode":{"language":"PYTHON","code":"print(1)"}},
                                 {"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"1"}}]}]})j");
    ASSERT_EQ(c.messages.size(), 2u);
    EXPECT_EQ(c.messages[0].parts.size(), 1u);
    ASSERT_EQ(c.messages[1].parts.size(), 2u);
    EXPECT_EQ(c.messages[1].parts[0].text, "\n```python\nprint(1)\n```\n");
    EXPECT_EQ(c.messages[1].parts[1].text, "\n```\n1\n```\n");
}

TEST(GeminiRequestDecode, WrongShapedBodiesAreRefusedWithTheirPath) {
    auto param = [](std::string_view body) -> std::string {
        try {
            decode(body);
        } catch (const TranslateError& e) {
            return e.param.empty() ? std::string("<none>") : e.param;
        }
        return "";
    };
    EXPECT_EQ(param(R"([1,2])"), "<none>");
    EXPECT_EQ(param(R"({"contents":{}})"), "contents");
    EXPECT_EQ(param(R"({"contents":[3]})"), "contents[0]");
    EXPECT_EQ(param(R"({"contents":[{"role":5,"parts":[]}]})"), "contents[0].role");
    EXPECT_EQ(param(R"({"contents":[{"role":"user","parts":"hi"}]})"), "contents[0].parts");
    EXPECT_EQ(param(R"({"contents":[{"role":"user","parts":["hi"]}]})"), "contents[0].parts[0]");
    EXPECT_EQ(param(R"({"contents":[{"role":"user","parts":[{"text":1}]}]})"), "contents[0].parts[0].text");
    EXPECT_EQ(param(R"({"contents":[{"role":"user","parts":[{"inlineData":{"mimeType":"image/png"}}]}]})"),
              "contents[0].parts[0].inlineData.data");
    EXPECT_EQ(param(R"({"tools":{}})"), "tools");
    EXPECT_EQ(param(R"({"tools":[{"functionDeclarations":[{"description":"no name"}]}]})"),
              "tools[0].functionDeclarations[0].name");
    EXPECT_EQ(param(R"({"generationConfig":[]})"), "generationConfig");
    EXPECT_EQ(param(R"({"contents":[],"unknownField":{"x":1}})"), "");  // extra fields are ignored
}

}  // namespace
}  // namespace cpa::proxy::translate::gemini_test
