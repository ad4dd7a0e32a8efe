// Canonical Conversation → Gemini generateContent body (gemini / vertex upstreams).
#include "gemini_test_helpers.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::translate::gemini_test {
namespace {

Part call(std::string id, std::string name, std::string args, std::string sig = {}) {
    Part p;
    p.kind = Part::Kind::ToolCall;
    p.callId = std::move(id);
    p.name = std::move(name);
    p.arguments = std::move(args);
    p.signature = std::move(sig);
    return p;
}

Part result(std::string id, std::string name, std::string text, bool isError = false) {
    Part p;
    p.kind = Part::Kind::ToolResult;
    p.callId = std::move(id);
    p.name = std::move(name);
    p.content.push_back(Part::textPart(std::move(text)));
    p.isError = isError;
    return p;
}

Part image(std::string mime, std::string data, std::string url = {}) {
    Part p;
    p.kind = Part::Kind::Image;
    p.mimeType = std::move(mime);
    p.data = std::move(data);
    p.url = std::move(url);
    return p;
}

Value encode(const Conversation& c, Exchange& ex, EncodeOptions opt = {}) {
    opt.upstreamModel = "gemini-2.5-pro";
    return codec().encodeRequest(c, opt, ex);
}

Value encode(const Conversation& c) {
    Exchange ex;
    return encode(c, ex);
}

TEST(GeminiRequestEncode, SystemTurnsSafetyDefaultsAndNoModelKey) {
    Conversation c;
    c.system = {Part::textPart("be brief"), Part::textPart("be kind")};
    c.messages = {{Role::User, {Part::textPart("hi")}}, {Role::Assistant, {Part::textPart("hello")}},
                  {Role::User, {Part::textPart("bye")}}};
    const Value body = encode(c);
    EXPECT_EQ(*body.find("systemInstruction"), J(R"({"parts":[{"text":"be brief"},{"text":"be kind"}]})"));
    EXPECT_EQ(*body.find("contents"), J(R"([{"role":"user","parts":[{"text":"hi"}]},
        {"role":"model","parts":[{"text":"hello"}]},{"role":"user","parts":[{"text":"bye"}]}])"));
    EXPECT_FALSE(body.contains("model"));
    EXPECT_EQ(*body.find("safetySettings"), J(R"([
        {"category":"HARM_CATEGORY_HARASSMENT","threshold":"OFF"},
        {"category":"HARM_CATEGORY_HATE_SPEECH","threshold":"OFF"},
        {"category":"HARM_CATEGORY_SEXUALLY_EXPLICIT","threshold":"OFF"},
        {"category":"HARM_CATEGORY_DANGEROUS_CONTENT","threshold":"OFF"},
        {"category":"HARM_CATEGORY_CIVIC_INTEGRITY","threshold":"BLOCK_NONE"}])"));
    EXPECT_FALSE(body.contains("generationConfig"));
    EXPECT_FALSE(body.contains("tools"));
}

TEST(GeminiRequestEncode, AnInstructionsOnlyRequestBecomesTheUserPrompt) {
    Conversation c;
    c.system = {Part::textPart("say hi")};
    const Value body = encode(c);
    EXPECT_FALSE(body.contains("systemInstruction"));
    EXPECT_EQ(*body.find("contents"), J(R"([{"parts":[{"text":"say hi"}],"role":"user"}])"));
}

TEST(GeminiRequestEncode, ImagesBase64DataUrlAndRemoteUrl) {
    Conversation c;
    c.messages = {{Role::User,
                   {image("image/png", "iVBOR"), image("", "", "data:image/gif;base64,R0lG"),
                    image("", "", "https://example.com/a/cat.PNG?x=1"), image("", "", "https://example.com/photo"),
                    Part::textPart("what is this?")}}};
    const Value parts = *encode(c).findPath("contents")->asArray()[0].find("parts");
    EXPECT_EQ(parts, J(R"([{"inlineData":{"mimeType":"image/png","data":"iVBOR"}},
        {"inlineData":{"mimeType":"image/gif","data":"R0lG"}},
        {"fileData":{"mimeType":"image/png","fileUri":"https://example.com/a/cat.PNG?x=1"}},
        {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/photo"}},
        {"text":"what is this?"}])"));
}

TEST(GeminiRequestEncode, ToolCallsCarrySignaturesOrTheSentinelAndResultsFollowInAUserTurn) {
    Conversation c;
    Part thinking;
    thinking.kind = Part::Kind::Thinking;
    thinking.text = "let me look";
    thinking.signature = "claude-sig";
    c.messages = {
        {Role::User, {Part::textPart("weather?")}},
        {Role::Assistant,
         {thinking, Part::textPart("checking"), call("call_1", "get_weather", R"({"city":"Paris"})", "gemini-sig"),
          call("call_2", "get_time", "not json")}},
        {Role::User,
         {result("call_1", "get_weather", R"({"temp":21})"), result("call_2", "", "noon"),
          result("call_3", "get_time", "failed", true), Part::textPart("thanks")}}};
    const Value contents = *encode(c).find("contents");
    ASSERT_EQ(contents.size(), 3u);
    EXPECT_EQ(contents.asArray()[1], J(R"({"role":"model","parts":[{"text":"checking"},
        {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"gemini-sig"},
        {"functionCall":{"name":"get_time","args":{}},"thoughtSignature":"skip_thought_signature_validator"}]})"));
    EXPECT_EQ(contents.asArray()[2], J(R"({"role":"user","parts":[
        {"functionResponse":{"name":"get_weather","response":{"temp":21}}},
        {"functionResponse":{"name":"get_time","response":{"result":"noon"}}},
        {"functionResponse":{"name":"get_time","response":{"error":"failed"}}},
        {"text":"thanks"}]})"));
}

TEST(GeminiRequestEncode, ToolResultImagesFollowTheirResponse) {
    Conversation c;
    Part r = result("c1", "shot", "here");
    r.content.push_back(image("image/png", "AAA"));
    c.messages = {{Role::Assistant, {call("c1", "shot", "{}")}}, {Role::User, {r}}};
    const Value parts = *encode(c).find("contents")->asArray()[1].find("parts");
    EXPECT_EQ(parts, J(R"([{"functionResponse":{"name":"shot","response":{"result":"here"}}},
        {"inlineData":{"mimeType":"image/png","data":"AAA"}}])"));
}

TEST(GeminiRequestEncode, ToolsAreDeclaredWithCleanedSchemasAndSanitisedNames) {
    Conversation c;
    ToolDecl weather;
    weather.name = "get weather/now";
    weather.description = "Weather";
    weather.parameters = J(R"({"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
        "properties":{"city":{"type":"string","minLength":1}},"required":["city"],"additionalProperties":false})");
    ToolDecl bare;
    bare.name = "ping";
    c.tools = {weather, bare};
    c.toolChoice.mode = ToolChoice::Mode::Named;
    c.toolChoice.name = "get weather/now";
    c.messages = {{Role::Assistant, {call("c1", "get weather/now", "{}")}},
                  {Role::User, {result("c1", "get weather/now", "sunny")}}};
    Exchange ex;
    const Value body = encode(c, ex);
    EXPECT_EQ(*body.find("tools"), J(R"([{"functionDeclarations":[
        {"name":"get_weather_now","description":"Weather","parametersJsonSchema":{"type":"object",
          "properties":{"city":{"type":"string","description":"minLength: 1"}},"required":["city"],
          "description":"No extra properties allowed"}},
        {"name":"ping"}]}])"));
    EXPECT_EQ(*body.find("toolConfig"),
              J(R"({"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather_now"]}})"));
    EXPECT_EQ(body.find("contents")->asArray()[0].findPath("parts")->asArray()[0], 
              J(R"({"functionCall":{"name":"get_weather_now","args":{}},"thoughtSignature":"skip_thought_signature_validator"})"));
    EXPECT_EQ(*body.find("contents")->asArray()[1].findPath("parts")->asArray()[0].findPath("functionResponse.name"),
              Value("get_weather_now"));
    EXPECT_EQ(ex.clientToolName("get_weather_now"), "get weather/now");
    EXPECT_EQ(ex.toolNameBack.size(), 1u);  // unchanged names are not recorded
}

TEST(GeminiRequestEncode, NamesThatSanitiseAlikeStayDistinct) {
    Conversation c;
    ToolDecl a, b, digit;
    a.name = "a b";
    b.name = "a_b";
    digit.name = "1tool";
    c.tools = {a, b, digit};
    Exchange ex;
    const Value decls = *encode(c, ex).find("tools")->asArray()[0].find("functionDeclarations");
    EXPECT_EQ(*decls.asArray()[0].find("name"), Value("a_b"));
    EXPECT_EQ(*decls.asArray()[1].find("name"), Value("a_b_2"));
    EXPECT_EQ(*decls.asArray()[2].find("name"), Value("_1tool"));
    EXPECT_EQ(ex.clientToolName("a_b"), "a b");
    EXPECT_EQ(ex.clientToolName("a_b_2"), "a_b");
    EXPECT_EQ(ex.clientToolName("_1tool"), "1tool");
}

TEST(GeminiRequestEncode, BuiltinsMapOrAreRefused) {
    Conversation c;
    ToolDecl search, code, url, fn;
    search.builtin = "web_search";
    code.builtin = "code_execution";
    url.builtin = "url_context";
    fn.name = "f";
    c.tools = {search, fn, code, url};
    EXPECT_EQ(*encode(c).find("tools"), J(R"([{"functionDeclarations":[{"name":"f"}]},
        {"googleSearch":{}},{"codeExecution":{}},{"urlContext":{}}])"));
    ToolDecl maps;  // a Gemini client's own built-in passes as written
    maps.builtin = "googleMaps";
    maps.raw = J(R"({"googleMaps":{"enableWidget":true}})");
    c.tools = {maps};
    EXPECT_EQ(*encode(c).find("tools"), J(R"([{"googleMaps":{"enableWidget":true}}])"));
    ToolDecl computer;
    computer.builtin = "computer_20250124";
    c.tools = {computer};
    try {
        encode(c);
        FAIL() << "expected a TranslateError";
    } catch (const TranslateError& e) {
        EXPECT_NE(std::string(e.what()).find("computer_20250124"), std::string::npos);
        EXPECT_EQ(e.param, "tools");
    }
}

TEST(GeminiRequestEncode, ToolChoiceModes) {
    auto mode = [](ToolChoice::Mode m) {
        Conversation c;
        c.toolChoice.mode = m;
        const Value body = encode(c);
        const Value* v = body.findPath("toolConfig.functionCallingConfig.mode");
        return v ? v->asString() : std::string("<absent>");
    };
    EXPECT_EQ(mode(ToolChoice::Mode::Unset), "<absent>");
    EXPECT_EQ(mode(ToolChoice::Mode::Auto), "AUTO");
    EXPECT_EQ(mode(ToolChoice::Mode::None), "NONE");
    EXPECT_EQ(mode(ToolChoice::Mode::Required), "ANY");
}

TEST(GeminiRequestEncode, GenerationConfigMapsSamplingLimitsStopAndFormat) {
    Conversation c;
    c.temperature = 0.5;
    c.topP = 0.9;
    c.topK = 20;
    c.maxTokens = 512;  // spec L1
    c.stop = {"END"};   // spec L2
    c.candidateCount = 2;
    c.seed = 42;
    c.presencePenalty = 0.1;
    c.frequencyPenalty = 0.2;
    c.responseFormat.kind = ResponseFormat::Kind::JsonSchema;  // spec L3
    c.responseFormat.schema = J(R"({"type":"object","properties":{"a":{"type":"string"}}})");
    EXPECT_EQ(*encode(c).find("generationConfig"), J(R"({"temperature":0.5,"topP":0.9,"topK":20,
        "maxOutputTokens":512,"stopSequences":["END"],"candidateCount":2,"seed":42,"presencePenalty":0.1,
        "frequencyPenalty":0.2,"responseMimeType":"application/json",
        "responseJsonSchema":{"type":"object","properties":{"a":{"type":"string"}}}})"));
    Conversation j;
    j.responseFormat.kind = ResponseFormat::Kind::JsonObject;
    EXPECT_EQ(*encode(j).find("generationConfig"), J(R"({"responseMimeType":"application/json"})"));
}

TEST(GeminiRequestEncode, ReasoningBecomesThinkingConfig) {
    auto thinking = [](Reasoning r) {
        Conversation c;
        c.reasoning = std::move(r);
        const Value body = encode(c);
        const Value* v = body.findPath("generationConfig.thinkingConfig");
        return v ? *v : Value();
    };
    Reasoning high;
    high.effort = "high";
    EXPECT_EQ(thinking(high), J(R"({"thinkingLevel":"high","includeThoughts":true})"));
    Reasoning minimal;
    minimal.effort = "minimal";
    EXPECT_EQ(thinking(minimal), J(R"({"thinkingBudget":512,"includeThoughts":true})"));
    Reasoning autoLevel;
    autoLevel.effort = "auto";
    EXPECT_EQ(thinking(autoLevel), J(R"({"thinkingBudget":-1,"includeThoughts":true})"));
    Reasoning none;
    none.effort = "none";
    EXPECT_EQ(thinking(none), J(R"({"thinkingBudget":0,"includeThoughts":false})"));
    Reasoning budget;
    budget.budget = 4000;
    budget.includeThoughts = false;
    EXPECT_EQ(thinking(budget), J(R"({"thinkingBudget":4000,"includeThoughts":false})"));
    Reasoning unknown;
    unknown.effort = "extreme";
    EXPECT_TRUE(thinking(unknown).isNull());
}

TEST(GeminiRequestEncode, CountTokensSendsContentsInstructionsAndToolsOnly) {
    Conversation c;
    c.system = {Part::textPart("sys")};
    c.messages = {{Role::User, {Part::textPart("count me")}}};
    ToolDecl t;
    t.name = "f";
    c.tools = {t};
    c.maxTokens = 10;
    c.toolChoice.mode = ToolChoice::Mode::Auto;
    Exchange ex;
    EncodeOptions opt;
    opt.countTokens = true;
    EXPECT_EQ(encode(c, ex, opt), J(R"({"contents":[{"role":"user","parts":[{"text":"count me"}]}],
        "systemInstruction":{"parts":[{"text":"sys"}]},"tools":[{"functionDeclarations":[{"name":"f"}]}]})"));
}

TEST(GeminiRequestEncode, ContentGeminiCannotTakeIsRefused) {
    Conversation c;
    c.messages = {{Role::User, {call("x", "f", "{}")}}};
    EXPECT_THROW(encode(c), TranslateError);
}

TEST(GeminiRequestEncode, AGeminiBodyRoundTrips) {
    const Conversation c = decode(R"({"contents":[{"role":"user","parts":[{"text":"hi"}]},
        {"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":1}},"thoughtSignature":"s1"}]},
        {"role":"user","parts":[{"functionResponse":{"name":"f","response":{"ok":true}}}]}],
        "tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"OBJECT","properties":{"a":{"type":"INTEGER"}}}}]}],
        "generationConfig":{"maxOutputTokens":100,"thinkingConfig":{"thinkingLevel":"low"}}})");
    const Value body = encode(c);
    EXPECT_EQ(*body.find("contents"), J(R"([{"role":"user","parts":[{"text":"hi"}]},
        {"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":1}},"thoughtSignature":"s1"}]},
        {"role":"user","parts":[{"functionResponse":{"name":"f","response":{"ok":true}}}]}])"));
    EXPECT_EQ(*body.find("tools"), J(R"([{"functionDeclarations":[{"name":"f",
        "parametersJsonSchema":{"type":"object","properties":{"a":{"type":"integer"}}}}]}])"));
    EXPECT_EQ(*body.find("generationConfig"),
              J(R"({"maxOutputTokens":100,"thinkingConfig":{"thinkingLevel":"low","includeThoughts":true}})"));
}

}  // namespace
}  // namespace cpa::proxy::translate::gemini_test
