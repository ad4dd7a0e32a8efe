// The Responses codec, provider side: canonical → a codex Responses body.
#include "translate/part_builders.hpp"
#include "responses_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace rtest;
using cpa::sdk::Value;

Value encode(const Conversation& c, Exchange& ex, bool stream = true) {
    EncodeOptions o;
    o.upstreamModel = "gpt-5-codex";
    o.stream = stream;
    return responses().encodeRequest(c, o, ex);
}

Value encode(const Conversation& c) {
    Exchange ex;
    return encode(c, ex);
}

Part media(Part::Kind kind, std::string mime, std::string data, std::string url = {}) {
    Part p;
    p.kind = kind;
    p.mimeType = std::move(mime);
    p.data = std::move(data);
    p.url = std::move(url);
    return p;
}

ToolDecl fn(std::string name) {
    ToolDecl d;
    d.name = std::move(name);
    d.parameters = json(R"({"type":"object","properties":{}})");
    return d;
}

// A Fernet-shaped token: "gAAAA…", 73 bytes once decoded (57 + one 16-byte block).
const std::string kFernet = "gAAAA" + std::string(93, 'B');

TEST(ResponsesEncodeRequest, ModelInstructionsMessagesAndStream) {
    Conversation c;
    c.model = "client-model";
    c.system = {Part::textPart("Be brief."), Part::textPart("Answer in French.")};
    c.messages = {Message{Role::User, {Part::textPart("hi")}}, Message{Role::Assistant, {Part::textPart("salut")}},
                  Message{Role::User, {Part::textPart("ça va?")}}};
    const Value b = encode(c);
    EXPECT_EQ(at(b, "model").asString(), "gpt-5-codex");
    EXPECT_EQ(at(b, "instructions").asString(), "Be brief.\n\nAnswer in French.");
    EXPECT_TRUE(at(b, "stream").asBool());
    ASSERT_EQ(at(b, "input").size(), 3u);
    EXPECT_EQ(at(b, "input.0.type").asString(), "message");
    EXPECT_EQ(at(b, "input.0.role").asString(), "user");
    EXPECT_EQ(at(b, "input.0.content.0.type").asString(), "input_text");
    EXPECT_EQ(at(b, "input.1.role").asString(), "assistant");
    EXPECT_EQ(at(b, "input.1.content.0.type").asString(), "output_text");
    EXPECT_EQ(at(b, "input.2.content.0.text").asString(), "ça va?");
    EXPECT_EQ(at(b, "reasoning.summary").asString(), "auto");
    EXPECT_FALSE(b.contains("tools"));
    EXPECT_FALSE(b.contains("store"));  // build_codex.cpp's business
    Exchange ex;
    EXPECT_FALSE(encode(c, ex, false).find("stream")->asBool());
}

TEST(ResponsesEncodeRequest, ToolCallsAndResultsBecomeItemsInOrder) {
    Conversation c;
    c.messages = {Message{Role::User, {Part::textPart("weather in Paris and Rome?")}},
                  Message{Role::Assistant,
                          {Part::textPart("Checking."), call("call_1", "get_weather", R"({"city":"Paris"})"),
                           call("call_2", "get_weather", R"({"city":"Rome"})")}},
                  Message{Role::User,
                          {Part::textPart("also hurry"), result("call_1", {Part::textPart("sunny")}),
                           result("call_2", {Part::textPart("rain"), Part::textPart("cold")})}}};
    const Value in = at(encode(c), "input");
    ASSERT_EQ(in.size(), 7u);
    EXPECT_EQ(at(in, "1.role").asString(), "assistant");
    EXPECT_EQ(at(in, "1.content.0.text").asString(), "Checking.");
    EXPECT_EQ(at(in, "2.type").asString(), "function_call");
    EXPECT_EQ(at(in, "2.call_id").asString(), "call_1");
    EXPECT_EQ(at(in, "2.name").asString(), "get_weather");
    EXPECT_EQ(at(in, "2.arguments").asString(), R"({"city":"Paris"})");
    EXPECT_EQ(at(in, "3.call_id").asString(), "call_2");
    // Tool results first, then the user's own words.
    EXPECT_EQ(at(in, "4.type").asString(), "function_call_output");
    EXPECT_EQ(at(in, "4.call_id").asString(), "call_1");
    EXPECT_EQ(at(in, "4.output").asString(), "sunny");
    EXPECT_EQ(at(in, "5.output").asString(), "rain\ncold");
    EXPECT_EQ(at(in, "6.role").asString(), "user");
    EXPECT_EQ(at(in, "6.content.0.text").asString(), "also hurry");
}

TEST(ResponsesEncodeRequest, NoEmptyAssistantMessageForCallsOnly) {
    Conversation c;
    c.messages = {Message{Role::Assistant, {call("call_1", "f", "")}}};
    const Value in = at(encode(c), "input");
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(at(in, "0.type").asString(), "function_call");
    EXPECT_EQ(at(in, "0.arguments").asString(), "{}");
}

TEST(ResponsesEncodeRequest, ImagesFilesAndToolResultImages) {
    Conversation c;
    Part file = media(Part::Kind::File, "application/pdf", "JVBE");
    file.filename = "a.pdf";
    c.messages = {Message{Role::User,
                          {media(Part::Kind::Image, "image/png", "AAAA"),
                           media(Part::Kind::Image, "", "", "https://example.com/x.png"), file,
                           media(Part::Kind::File, "", "", "https://example.com/b.pdf")}},
                  Message{Role::Assistant, {call("c1", "shot", "{}")}},
                  Message{Role::User, {result("c1", {Part::textPart("here"), media(Part::Kind::Image, "image/jpeg", "/9j/")})}}};
    const Value in = at(encode(c), "input");
    EXPECT_EQ(at(in, "0.content.0.type").asString(), "input_image");
    EXPECT_EQ(at(in, "0.content.0.image_url").asString(), "data:image/png;base64,AAAA");
    EXPECT_EQ(at(in, "0.content.1.image_url").asString(), "https://example.com/x.png");
    EXPECT_EQ(at(in, "0.content.2.type").asString(), "input_file");
    EXPECT_EQ(at(in, "0.content.2.file_data").asString(), "data:application/pdf;base64,JVBE");
    EXPECT_EQ(at(in, "0.content.2.filename").asString(), "a.pdf");
    EXPECT_EQ(at(in, "0.content.3.file_url").asString(), "https://example.com/b.pdf");
    const Value out = at(in, "2.output");
    ASSERT_TRUE(out.isArray());
    EXPECT_EQ(at(out, "0.type").asString(), "input_text");
    EXPECT_EQ(at(out, "1.type").asString(), "input_image");
    EXPECT_EQ(at(out, "1.image_url").asString(), "data:image/jpeg;base64,/9j/");
}

TEST(ResponsesEncodeRequest, AudioIsRefusedByName) {
    Conversation c;
    c.messages = {Message{Role::User, {media(Part::Kind::Audio, "audio/wav", "UklG")}}};
    try {
        (void)encode(c);
        FAIL() << "audio accepted";
    } catch (const TranslateError& e) {
        EXPECT_NE(std::string(e.what()).find("audio"), std::string::npos);
    }
}

TEST(ResponsesEncodeRequest, FunctionToolsAreFlatAndLongNamesShortened) {
    // Vector of the original's TestToolNameShortening.
    const std::string longName = "a_very_long_tool_name_that_exceeds_sixty_four_characters_limit_here_test";
    ASSERT_GT(longName.size(), 64u);
    Conversation c;
    ToolDecl d = fn(longName);
    d.description = "A tool with a very long name";
    d.strict = false;
    c.tools = {d, fn("short")};
    c.toolChoice.mode = ToolChoice::Mode::Named;
    c.toolChoice.name = longName;
    c.messages = {Message{Role::User, {Part::textPart("Do it")}},
                  Message{Role::Assistant, {call("call_long", longName, "{}")}},
                  Message{Role::User, {result("call_long", {Part::textPart("ok")})}}};
    Exchange ex;
    const Value b = encode(c, ex);
    const std::string shortName = longName.substr(0, 64);
    EXPECT_EQ(at(b, "tools.0.type").asString(), "function");
    EXPECT_EQ(at(b, "tools.0.name").asString(), shortName);
    EXPECT_EQ(at(b, "tools.0.description").asString(), "A tool with a very long name");
    EXPECT_EQ(at(b, "tools.0.parameters.type").asString(), "object");
    EXPECT_FALSE(at(b, "tools.0.strict").asBool());
    EXPECT_EQ(at(b, "tools.1.name").asString(), "short");
    EXPECT_EQ(at(b, "input.1.name").asString(), shortName);
    EXPECT_EQ(at(b, "input.1.call_id").asString(), "call_long");
    EXPECT_EQ(at(b, "input.2.call_id").asString(), "call_long");
    EXPECT_EQ(at(b, "tool_choice.type").asString(), "function");
    EXPECT_EQ(at(b, "tool_choice.name").asString(), shortName);
    ASSERT_EQ(ex.toolNameBack.size(), 1u);
    EXPECT_EQ(ex.clientToolName(shortName), longName);
    EXPECT_EQ(ex.clientToolName("short"), "short");
}

TEST(ResponsesEncodeRequest, McpNamesKeepTheirLastSegmentAndCollisionsGetSuffixes) {
    const std::string mcpName = "mcp__" + std::string(60, 's') + "__read_file";
    const std::string a = std::string(70, 'x') + "_a";
    const std::string b = std::string(70, 'x') + "_b";
    Conversation c;
    c.tools = {fn(mcpName), fn(a), fn(b)};
    Exchange ex;
    const Value body = encode(c, ex);
    EXPECT_EQ(at(body, "tools.0.name").asString(), "mcp__read_file");
    EXPECT_EQ(at(body, "tools.1.name").asString(), std::string(64, 'x'));
    EXPECT_EQ(at(body, "tools.2.name").asString(), std::string(62, 'x') + "_1");
    EXPECT_EQ(ex.clientToolName("mcp__read_file"), mcpName);
    EXPECT_EQ(ex.clientToolName(std::string(62, 'x') + "_1"), b);
}

TEST(ResponsesEncodeRequest, BuiltinToolsMapOrAreRefused) {
    Conversation c;
    ToolDecl claudeSearch;
    claudeSearch.name = "web_search";
    claudeSearch.builtin = "web_search";
    claudeSearch.raw = json(R"({"type":"web_search_20250305","name":"web_search","allowed_domains":["example.com"],
        "user_location":{"type":"approximate","city":"Paris"}})");
    ToolDecl responsesSearch;
    responsesSearch.builtin = "web_search";
    responsesSearch.raw = json(R"({"type":"web_search_preview","search_context_size":"high"})");
    c.tools = {claudeSearch, responsesSearch};
    c.toolChoice.mode = ToolChoice::Mode::Named;
    c.toolChoice.name = "web_search";
    const Value b = encode(c);
    EXPECT_EQ(at(b, "tools.0.type").asString(), "web_search");
    EXPECT_EQ(at(b, "tools.0.filters.allowed_domains.0").asString(), "example.com");
    EXPECT_EQ(at(b, "tools.0.user_location.city").asString(), "Paris");
    EXPECT_EQ(at(b, "tools.1.type").asString(), "web_search_preview");
    EXPECT_EQ(at(b, "tools.1.search_context_size").asString(), "high");
    EXPECT_EQ(at(b, "tool_choice.type").asString(), "web_search");

    Conversation g;
    ToolDecl url;
    url.builtin = "url_context";
    url.raw = json(R"({"urlContext":{}})");
    g.tools = {url};
    try {
        (void)encode(g);
        FAIL() << "url_context accepted";
    } catch (const TranslateError& e) {
        EXPECT_NE(std::string(e.what()).find("url_context"), std::string::npos);
        EXPECT_EQ(e.param, "tools");
    }
}

TEST(ResponsesEncodeRequest, ToolChoiceModesAndParallelCalls) {
    Conversation c;
    c.tools = {fn("f")};
    const std::pair<ToolChoice::Mode, const char*> cases[] = {
        {ToolChoice::Mode::Auto, "auto"}, {ToolChoice::Mode::None, "none"}, {ToolChoice::Mode::Required, "required"}};
    for (const auto& [mode, want] : cases) {
        c.toolChoice.mode = mode;
        EXPECT_EQ(at(encode(c), "tool_choice").asString(), want);
    }
    c.toolChoice.mode = ToolChoice::Mode::Unset;
    c.toolChoice.parallelToolCalls = false;
    const Value b = encode(c);
    EXPECT_FALSE(b.contains("tool_choice"));
    EXPECT_FALSE(at(b, "parallel_tool_calls").asBool());
}

TEST(ResponsesEncodeRequest, ReasoningEffortFromLevelOrBudget) {
    Conversation c;
    c.reasoning.effort = "high";
    EXPECT_EQ(at(encode(c), "reasoning.effort").asString(), "high");
    c.reasoning.effort.clear();
    c.reasoning.budget = 8192;
    EXPECT_EQ(at(encode(c), "reasoning.effort").asString(), "medium");
    c.reasoning.budget = 0;
    EXPECT_EQ(at(encode(c), "reasoning.effort").asString(), "none");
    c.reasoning.budget = -1;
    EXPECT_EQ(at(encode(c), "reasoning.effort").asString(), "medium");
    c.reasoning.budget.reset();
    c.reasoning.effort = "max";
    c.reasoning.summary = "detailed";
    const Value b = encode(c);
    EXPECT_EQ(at(b, "reasoning.effort").asString(), "xhigh");
    EXPECT_EQ(at(b, "reasoning.summary").asString(), "detailed");
}

TEST(ResponsesEncodeRequest, FormatLimitsAndSampling) {
    Conversation c;
    c.responseFormat.kind = ResponseFormat::Kind::JsonSchema;
    c.responseFormat.schema = json(R"({"type":"object"})");
    c.responseFormat.strict = true;
    c.maxTokens = 300;
    c.temperature = 0.5;
    c.topP = 0.8;
    c.stop = {"END"};
    const Value b = encode(c);
    EXPECT_EQ(at(b, "text.format.type").asString(), "json_schema");
    EXPECT_EQ(at(b, "text.format.name").asString(), "response");
    EXPECT_TRUE(at(b, "text.format.strict").asBool());
    EXPECT_EQ(at(b, "text.format.schema.type").asString(), "object");
    EXPECT_EQ(at(b, "max_output_tokens").asInt(), 300);
    EXPECT_EQ(at(b, "temperature").asDouble(), 0.5);
    EXPECT_EQ(at(b, "top_p").asDouble(), 0.8);
    EXPECT_FALSE(b.contains("stop"));
    c.responseFormat = {};
    c.responseFormat.kind = ResponseFormat::Kind::JsonObject;
    EXPECT_EQ(at(encode(c), "text.format.type").asString(), "json_object");
}

TEST(ResponsesEncodeRequest, OnlyOpenAISignedReasoningIsSentBack) {
    Part ours;
    ours.kind = Part::Kind::Thinking;
    ours.text = "plan";
    ours.signature = kFernet;
    Part claudes = ours;
    claudes.signature = "EqQBCkYIBxgCKkB…anthropic";
    Conversation c;
    c.messages = {Message{Role::User, {Part::textPart("q")}},
                  Message{Role::Assistant, {ours, claudes, Part::textPart("a")}}};
    const Value in = at(encode(c), "input");
    ASSERT_EQ(in.size(), 3u);
    EXPECT_EQ(at(in, "1.type").asString(), "reasoning");
    EXPECT_EQ(at(in, "1.encrypted_content").asString(), kFernet);
    EXPECT_EQ(at(in, "1.summary.0.type").asString(), "summary_text");
    EXPECT_EQ(at(in, "1.summary.0.text").asString(), "plan");
    EXPECT_EQ(at(in, "2.type").asString(), "message");
}

TEST(ResponsesEncodeRequest, SystemImagesLeadAsADeveloperMessage) {
    Conversation c;
    c.system = {Part::textPart("look"), media(Part::Kind::Image, "image/png", "AAAA")};
    c.messages = {Message{Role::User, {Part::textPart("q")}}};
    const Value b = encode(c);
    EXPECT_EQ(at(b, "instructions").asString(), "look");
    EXPECT_EQ(at(b, "input.0.role").asString(), "developer");
    EXPECT_EQ(at(b, "input.0.content.0.type").asString(), "input_image");
    EXPECT_EQ(at(b, "input.1.role").asString(), "user");
}

TEST(ResponsesEncodeRequest, AClientBodyRoundTripsThroughTheCanonicalForm) {
    const Conversation c = responses().decodeRequest(json(R"({"model":"gpt-5","instructions":"sys",
        "input":[{"role":"user","content":[{"type":"input_text","text":"hi"}]},
                 {"type":"function_call","call_id":"call_1","name":"f","arguments":"{\"a\":1}"},
                 {"type":"function_call_output","call_id":"call_1","output":"done"}],
        "tools":[{"type":"function","name":"f","parameters":{"type":"object"}}],"tool_choice":"auto",
        "reasoning":{"effort":"low"},"text":{"format":{"type":"json_object"}},"max_output_tokens":99})"),
                                                         "m", false);
    const Value b = encode(c);
    EXPECT_EQ(at(b, "instructions").asString(), "sys");
    EXPECT_EQ(at(b, "input.0.content.0.text").asString(), "hi");
    EXPECT_EQ(at(b, "input.1.arguments").asString(), R"({"a":1})");
    EXPECT_EQ(at(b, "input.2.output").asString(), "done");
    EXPECT_EQ(at(b, "tools.0.name").asString(), "f");
    EXPECT_EQ(at(b, "tool_choice").asString(), "auto");
    EXPECT_EQ(at(b, "reasoning.effort").asString(), "low");
    EXPECT_EQ(at(b, "text.format.type").asString(), "json_object");
    EXPECT_EQ(at(b, "max_output_tokens").asInt(), 99);
}

}  // namespace
}  // namespace cpa::proxy::translate
