// The chat codec, provider side: canonical → a body for an OpenAI-compatible upstream.
#include "translate/chat_test_util.hpp"

namespace cpa::proxy::translate {
namespace {

using namespace chattest;
using cpa::sdk::Value;
using K = Part::Kind;

Part text(std::string t) { return Part::textPart(std::move(t)); }
Part thinking(std::string t, std::string sig = {}) {
    Part p = text(std::move(t));
    p.kind = K::Thinking;
    p.signature = std::move(sig);
    return p;
}
Part call(std::string id, std::string name, std::string args) {
    Part p;
    p.kind = K::ToolCall;
    p.callId = std::move(id);
    p.name = std::move(name);
    p.arguments = std::move(args);
    return p;
}
Part result(std::string id, std::vector<Part> content) {
    Part p;
    p.kind = K::ToolResult;
    p.callId = std::move(id);
    p.content = std::move(content);
    return p;
}
Part image(std::string mime, std::string data, std::string url = {}) {
    Part p;
    p.kind = K::Image;
    p.mimeType = std::move(mime);
    p.data = std::move(data);
    p.url = std::move(url);
    return p;
}

Value encode(const Conversation& c, bool stream = false) {
    Exchange ex;
    return codec().encodeRequest(c, EncodeOptions{"upstream-model", stream, false}, ex);
}

TEST(ChatEncodeRequest, ModelStreamAndIncludeUsage) {
    Conversation c;
    c.model = "client-model";
    c.messages.push_back(Message{Role::User, {text("hi")}});
    const Value plain = encode(c);
    EXPECT_EQ(str(plain, "model"), "upstream-model");
    EXPECT_FALSE(at(plain, "stream")->asBool());
    EXPECT_EQ(at(plain, "stream_options"), nullptr);
    EXPECT_EQ(str(plain, "messages.0.role"), "user");
    EXPECT_EQ(str(plain, "messages.0.content"), "hi");
    const Value streamed = encode(c, true);
    EXPECT_TRUE(at(streamed, "stream")->asBool());
    EXPECT_TRUE(at(streamed, "stream_options.include_usage")->asBool());
    // Nothing the conversation lacks is invented.
    for (const char* key : {"tools", "tool_choice", "temperature", "max_tokens", "stop", "reasoning_effort",
                            "response_format", "user", "n", "seed"})
        EXPECT_EQ(at(plain, key), nullptr) << key;
}

TEST(ChatEncodeRequest, SystemPartsBecomeOneLeadingSystemMessage) {
    Conversation c;
    c.system = {text("Rule 1")};
    c.messages.push_back(Message{Role::User, {text("hi")}});
    Value out = encode(c);
    EXPECT_EQ(str(out, "messages.0.role"), "system");
    EXPECT_EQ(str(out, "messages.0.content"), "Rule 1");
    c.system.push_back(text("Rule 2"));
    out = encode(c);
    EXPECT_EQ(str(out, "messages.0.content.0.type"), "text");
    EXPECT_EQ(str(out, "messages.0.content.0.text"), "Rule 1");
    EXPECT_EQ(str(out, "messages.0.content.1.text"), "Rule 2");
    EXPECT_EQ(str(out, "messages.1.role"), "user");
    c.system.clear();
    EXPECT_EQ(str(encode(c), "messages.0.role"), "user");
}

// The original's ToolResultOrderAndContent: tool messages come before the user's text.
TEST(ChatEncodeRequest, ToolResultsBecomeToolMessagesBeforeTheUsersText) {
    Conversation c;
    c.messages.push_back(Message{Role::Assistant, {call("call_1", "do_work", R"({"a":1})")}});
    c.messages.push_back(Message{Role::User, {result("call_1", {text("tool ok")}), text("next question")}});
    const Value out = encode(c);
    ASSERT_EQ(at(out, "messages")->size(), 3u);
    EXPECT_EQ(str(out, "messages.0.role"), "assistant");
    EXPECT_TRUE(at(out, "messages.0.content")->isNull());
    EXPECT_EQ(str(out, "messages.0.tool_calls.0.id"), "call_1");
    EXPECT_EQ(str(out, "messages.0.tool_calls.0.type"), "function");
    EXPECT_EQ(str(out, "messages.0.tool_calls.0.function.name"), "do_work");
    EXPECT_EQ(str(out, "messages.0.tool_calls.0.function.arguments"), R"({"a":1})");
    EXPECT_EQ(str(out, "messages.1.role"), "tool");
    EXPECT_EQ(str(out, "messages.1.tool_call_id"), "call_1");
    EXPECT_EQ(str(out, "messages.1.content"), "tool ok");
    EXPECT_EQ(str(out, "messages.2.role"), "user");
    EXPECT_EQ(str(out, "messages.2.content"), "next question");
}

TEST(ChatEncodeRequest, ToolResultContentShapes) {
    Conversation c;
    c.messages.push_back(Message{Role::User,
                                 {result("a", {text("line 1"), text("line 2")}),
                                  result("b", {text("tool ok"), image("image/png", "iVBORw0KGgoAAAANSUhEUg==")}),
                                  result("c", {image("", "", "https://example.com/tool.png")}),
                                  result("d", {})}});
    const Value out = encode(c);
    ASSERT_EQ(at(out, "messages")->size(), 4u);  // no empty user message after the results
    EXPECT_EQ(str(out, "messages.0.content"), "line 1\n\nline 2");
    EXPECT_EQ(str(out, "messages.1.content.0.type"), "text");
    EXPECT_EQ(str(out, "messages.1.content.0.text"), "tool ok");
    EXPECT_EQ(str(out, "messages.1.content.1.type"), "image_url");
    EXPECT_EQ(str(out, "messages.1.content.1.image_url.url"), "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==");
    EXPECT_EQ(str(out, "messages.2.content.0.image_url.url"), "https://example.com/tool.png");
    EXPECT_EQ(str(out, "messages.3.tool_call_id"), "d");
    EXPECT_EQ(str(out, "messages.3.content"), "");
}

TEST(ChatEncodeRequest, UserImagesFilesAndAudio) {
    Part file;
    file.kind = K::File;
    file.mimeType = "application/pdf";
    file.data = "JVBERi0=";
    file.filename = "a.pdf";
    Part audio;
    audio.kind = K::Audio;
    audio.mimeType = "audio/mpeg";
    audio.data = "SUQz";
    Conversation c;
    c.messages.push_back(Message{Role::User, {text("look"), image("image/jpeg", "/9j/"), file, audio}});
    const Value out = encode(c);
    EXPECT_EQ(str(out, "messages.0.content.0.text"), "look");
    EXPECT_EQ(str(out, "messages.0.content.1.image_url.url"), "data:image/jpeg;base64,/9j/");
    EXPECT_EQ(str(out, "messages.0.content.2.type"), "file");
    EXPECT_EQ(str(out, "messages.0.content.2.file.file_data"), "data:application/pdf;base64,JVBERi0=");
    EXPECT_EQ(str(out, "messages.0.content.2.file.filename"), "a.pdf");
    EXPECT_EQ(str(out, "messages.0.content.3.type"), "input_audio");
    EXPECT_EQ(str(out, "messages.0.content.3.input_audio.format"), "mp3");
    EXPECT_EQ(str(out, "messages.0.content.3.input_audio.data"), "SUQz");
}

TEST(ChatEncodeRequest, ContentChatCannotCarryIsRefusedByName) {
    Part ogg;
    ogg.kind = K::Audio;
    ogg.mimeType = "audio/ogg";
    ogg.data = "T2dn";
    Conversation c;
    c.messages.push_back(Message{Role::User, {ogg}});
    EXPECT_NE(std::string(translateError([&] { encode(c); }).what()).find("audio/ogg"), std::string::npos);
    Part remote;
    remote.kind = K::File;
    remote.url = "gs://bucket/doc.pdf";
    c.messages[0].parts = {remote};
    EXPECT_NE(std::string(translateError([&] { encode(c); }).what()).find("gs://bucket/doc.pdf"), std::string::npos);
}

// The original's ThinkingToReasoningContent vectors (claude → openai).
TEST(ChatEncodeRequest, ThinkingHistoryBecomesReasoningContentWithoutSignatures) {
    Part redacted = thinking("", "opaque");
    redacted.redacted = true;
    Conversation c;
    c.messages.push_back(Message{Role::User, {text("q"), thinking("Injected thinking")}});
    c.messages.push_back(Message{
        Role::Assistant,
        {thinking("First thought.", "sig-1"), thinking("   \n\t  "), redacted, thinking("Second thought."), text("Final answer.")}});
    c.messages.push_back(Message{Role::Assistant, {thinking("Let me calculate: 2+2=4")}});
    c.messages.push_back(Message{Role::Assistant, {thinking("")}});
    const Value out = encode(c);
    ASSERT_EQ(at(out, "messages")->size(), 3u);  // the empty-thinking turn is dropped
    EXPECT_EQ(str(out, "messages.0.content"), "q");  // thinking in user turns is ignored
    EXPECT_EQ(at(out, "messages.0.reasoning_content"), nullptr);
    EXPECT_EQ(str(out, "messages.1.reasoning_content"), "First thought.\n\nSecond thought.");
    EXPECT_EQ(str(out, "messages.1.content"), "Final answer.");
    EXPECT_EQ(str(out, "messages.2.content"), "");  // thinking-only turn kept
    EXPECT_EQ(str(out, "messages.2.reasoning_content"), "Let me calculate: 2+2=4");
    EXPECT_EQ(cpa::sdk::toJson(out).find("sig-1"), std::string::npos);
    EXPECT_EQ(cpa::sdk::toJson(out).find("opaque"), std::string::npos);
}

TEST(ChatEncodeRequest, AssistantTextAroundAToolCallStaysOneMessage) {
    Conversation c;
    c.messages.push_back(Message{Role::Assistant, {text("Let me check. "), call("call_9", "f", ""), text("Done.")}});
    const Value out = encode(c);
    ASSERT_EQ(at(out, "messages")->size(), 1u);
    EXPECT_EQ(str(out, "messages.0.content"), "Let me check. Done.");
    ASSERT_EQ(at(out, "messages.0.tool_calls")->size(), 1u);
    EXPECT_EQ(str(out, "messages.0.tool_calls.0.function.arguments"), "{}");
}

TEST(ChatEncodeRequest, ToolsToolChoiceAndWebSearch) {
    Conversation c;
    ToolDecl fn;
    fn.name = "get_weather";
    fn.description = "Get weather";
    fn.parameters = json(R"({"type":"object","properties":{"city":{"type":"string"}}})");
    fn.strict = true;
    ToolDecl bare;
    bare.name = "ping";
    ToolDecl search;
    search.builtin = "web_search";
    search.raw = json(R"({"type":"web_search","search_context_size":"high"})");
    c.tools = {fn, bare, search};
    c.toolChoice.mode = ToolChoice::Mode::Named;
    c.toolChoice.name = "get_weather";
    c.toolChoice.parallelToolCalls = false;
    const Value out = encode(c);
    ASSERT_EQ(at(out, "tools")->size(), 2u);
    EXPECT_EQ(str(out, "tools.0.type"), "function");
    EXPECT_EQ(str(out, "tools.0.function.name"), "get_weather");
    EXPECT_EQ(str(out, "tools.0.function.description"), "Get weather");
    EXPECT_EQ(str(out, "tools.0.function.parameters.properties.city.type"), "string");
    EXPECT_TRUE(at(out, "tools.0.function.strict")->asBool());
    EXPECT_EQ(at(out, "tools.1.function.parameters"), nullptr);
    EXPECT_EQ(at(out, "tools.1.function.description"), nullptr);
    EXPECT_EQ(str(out, "web_search_options.search_context_size"), "high");
    EXPECT_EQ(str(out, "tool_choice.type"), "function");
    EXPECT_EQ(str(out, "tool_choice.function.name"), "get_weather");
    EXPECT_FALSE(at(out, "parallel_tool_calls")->asBool());

    for (auto [mode, want] : {std::pair{ToolChoice::Mode::Auto, "auto"}, std::pair{ToolChoice::Mode::None, "none"},
                              std::pair{ToolChoice::Mode::Required, "required"}}) {
        c.toolChoice.mode = mode;
        EXPECT_EQ(str(encode(c), "tool_choice"), want);
    }
    // Without function tools OpenAI refuses tool_choice / parallel_tool_calls.
    c.tools = {search};
    const Value searchOnly = encode(c);
    EXPECT_EQ(at(searchOnly, "tool_choice"), nullptr);
    EXPECT_EQ(at(searchOnly, "parallel_tool_calls"), nullptr);
}

TEST(ChatEncodeRequest, BuiltinToolsWithoutAChatEquivalentAreRefused) {
    Conversation c;
    ToolDecl code;
    code.builtin = "code_execution";
    c.tools = {code};
    const TranslateError e = translateError([&] { encode(c); });
    EXPECT_NE(std::string(e.what()).find("code_execution"), std::string::npos);
    EXPECT_EQ(e.param, "tools");
}

TEST(ChatEncodeRequest, ScalarOptionsReasoningAndResponseFormat) {
    Conversation c;
    c.temperature = 0.3;
    c.topP = 0.8;
    c.topK = 20;
    c.maxTokens = 512;
    c.stop = {"END"};
    c.candidateCount = 2;
    c.seed = 11;
    c.presencePenalty = 0.1;
    c.frequencyPenalty = 0.2;
    c.user = "u-9";
    c.reasoning.budget = 8192;
    c.responseFormat.kind = ResponseFormat::Kind::JsonSchema;
    c.responseFormat.schema = json(R"({"type":"object"})");
    c.responseFormat.strict = true;
    Value out = encode(c);
    EXPECT_DOUBLE_EQ(at(out, "temperature")->asDouble(), 0.3);
    EXPECT_DOUBLE_EQ(at(out, "top_p")->asDouble(), 0.8);
    EXPECT_EQ(num(out, "top_k"), 20);
    EXPECT_EQ(num(out, "max_tokens"), 512);
    EXPECT_EQ(str(out, "stop"), "END");
    EXPECT_EQ(num(out, "n"), 2);
    EXPECT_EQ(num(out, "seed"), 11);
    EXPECT_DOUBLE_EQ(at(out, "presence_penalty")->asDouble(), 0.1);
    EXPECT_DOUBLE_EQ(at(out, "frequency_penalty")->asDouble(), 0.2);
    EXPECT_EQ(str(out, "user"), "u-9");
    EXPECT_EQ(str(out, "reasoning_effort"), "medium");  // budget → level (translation.md §2.10)
    EXPECT_EQ(str(out, "response_format.type"), "json_schema");
    EXPECT_EQ(str(out, "response_format.json_schema.name"), "response");
    EXPECT_TRUE(at(out, "response_format.json_schema.strict")->asBool());
    EXPECT_EQ(str(out, "response_format.json_schema.schema.type"), "object");

    c.stop = {"a", "b"};
    c.reasoning.effort = "low";  // an explicit level wins over the budget
    c.responseFormat = ResponseFormat{};
    c.responseFormat.kind = ResponseFormat::Kind::JsonObject;
    out = encode(c);
    EXPECT_EQ(str(out, "stop.1"), "b");
    EXPECT_EQ(str(out, "reasoning_effort"), "low");
    EXPECT_EQ(str(out, "response_format.type"), "json_object");
    c.reasoning = Reasoning{};
    c.reasoning.budget = -1;
    EXPECT_EQ(str(encode(c), "reasoning_effort"), "auto");
}

TEST(ChatEncodeRequest, TokenCountingIsNotAChatEndpoint) {
    Exchange ex;
    EXPECT_THROW(codec().encodeRequest(Conversation{}, EncodeOptions{"m", false, true}, ex), TranslateError);
}

TEST(ChatEncodeRequest, DecodeThenEncodeKeepsAChatBody) {
    const Value in = json(R"({"model":"m","messages":[
        {"role":"system","content":"sys"},
        {"role":"user","content":"Weather in Paris?"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_r1","type":"function",
            "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
        {"role":"tool","tool_call_id":"call_r1","content":"sunny"},
        {"role":"assistant","content":"It is sunny in Paris."}],
        "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
        "tool_choice":"auto","temperature":0.5,"max_tokens":64,"stop":["x","y"],"reasoning_effort":"high"})");
    const Conversation c = codec().decodeRequest(in, "m", false);
    Value out = encode(c);
    out.erase("stream");
    EXPECT_EQ(cpa::sdk::toJson(out),
              R"({"model":"upstream-model","messages":[{"role":"system","content":"sys"},)"
              R"({"role":"user","content":"Weather in Paris?"},{"role":"assistant","content":null,"tool_calls":)"
              R"([{"id":"call_r1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},)"
              R"({"role":"tool","tool_call_id":"call_r1","content":"sunny"},)"
              R"({"role":"assistant","content":"It is sunny in Paris."}],)"
              R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],)"
              R"("tool_choice":"auto","temperature":0.5,"max_tokens":64,"stop":["x","y"],"reasoning_effort":"high"})");
}

}  // namespace
}  // namespace cpa::proxy::translate
