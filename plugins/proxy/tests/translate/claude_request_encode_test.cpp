// Canonical → Messages request bodies for Claude upstreams
// (claude_request_encode.cpp, claude_request_tools.cpp).
#include "translate/part_builders.hpp"
#include "translate/codecs.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

namespace cpa::proxy::translate {
namespace {

using cpa::sdk::parseJson;
using cpa::sdk::toJson;
using cpa::sdk::Value;

Part text(std::string t) { return Part::textPart(std::move(t)); }

Part image(std::string mime, std::string data, std::string url = {}) {
    Part p;
    p.kind = Part::Kind::Image;
    p.mimeType = std::move(mime);
    p.data = std::move(data);
    p.url = std::move(url);
    return p;
}

Part thinking(std::string t, std::string sig, bool redacted = false) {
    Part p;
    p.kind = Part::Kind::Thinking;
    p.text = std::move(t);
    p.signature = std::move(sig);
    p.redacted = redacted;
    return p;
}

Message msg(Role role, std::vector<Part> parts) { return Message{role, std::move(parts)}; }

EncodeOptions opts(std::string model, bool stream = false, bool countTokens = false) {
    EncodeOptions o;
    o.upstreamModel = std::move(model);
    o.stream = stream;
    o.countTokens = countTokens;
    return o;
}

Reasoning budget(std::int64_t b) {
    Reasoning r;
    r.budget = b;
    return r;
}

Reasoning effort(std::string e) {
    Reasoning r;
    r.effort = std::move(e);
    return r;
}

ToolDecl fn(std::string name, std::string description = {}, std::optional<Value> params = std::nullopt) {
    ToolDecl t;
    t.name = std::move(name);
    t.description = std::move(description);
    t.parameters = std::move(params);
    return t;
}

ToolDecl builtinTool(std::string kind, std::string raw, std::string name = {}) {
    ToolDecl t;
    t.name = std::move(name);
    t.builtin = std::move(kind);
    t.raw = parseJson(raw);
    return t;
}

ToolChoice choose(ToolChoice::Mode mode, std::string name = {}, std::optional<bool> parallel = std::nullopt) {
    ToolChoice c;
    c.mode = mode;
    c.name = std::move(name);
    c.parallelToolCalls = parallel;
    return c;
}

Value encode(const Conversation& c, EncodeOptions o = opts("claude-up")) {
    Exchange ex;
    return claudeCodec().encodeRequest(c, o, ex);
}

Conversation hello() {
    Conversation c;
    c.model = "client-model";
    c.messages.push_back(msg(Role::User, {text("Hello")}));
    return c;
}

TEST(ClaudeEncodeRequest, BasicBodyWithDefaults) {
    Conversation c = hello();
    c.system = {text("Rule 1"), text("Rule 2")};
    c.user = "end-user-7";
    const Value body = encode(c, opts("claude-up", true));
    EXPECT_EQ(body, parseJson(R"({"model":"claude-up","max_tokens":32000,
        "system":[{"type":"text","text":"Rule 1"},{"type":"text","text":"Rule 2"}],
        "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}],
        "metadata":{"user_id":"end-user-7"},"stream":true})"));
}

TEST(ClaudeEncodeRequest, SamplingStopAndMaxTokens) {
    Conversation c = hello();
    c.maxTokens = 500;
    c.temperature = 0.2;
    c.topP = 0.9;
    c.topK = 20;
    c.stop = {"END"};
    Value body = encode(c);
    EXPECT_EQ(*body.find("max_tokens"), Value(500));
    EXPECT_EQ(*body.find("temperature"), Value(0.2));
    EXPECT_FALSE(body.contains("top_p"));  // never both, as the original
    EXPECT_EQ(*body.find("top_k"), Value(20));
    EXPECT_EQ(*body.find("stop_sequences"), parseJson(R"(["END"])"));
    c.temperature.reset();
    EXPECT_EQ(*encode(c).find("top_p"), Value(0.9));
}

TEST(ClaudeEncodeRequest, SystemOnlyKeepsFallbackUserMessage) {
    Conversation c;
    c.system = {text("You are a helpful assistant.")};
    const Value body = encode(c);
    EXPECT_EQ(*body.find("messages"), parseJson(R"([{"role":"user","content":[{"type":"text","text":""}]}])"));
}

TEST(ClaudeEncodeRequest, RolesAlternateAndToolResultsComeFirst) {
    Conversation c;
    c.messages.push_back(msg(Role::User, {text("a")}));
    c.messages.push_back(msg(Role::User, {text("b")}));
    c.messages.push_back(msg(Role::Assistant, {text("calling"), call("call.1/x", "do_work", R"({"a":1})")}));
    c.messages.push_back(msg(Role::User, {text("after"), result("call.1/x", {text("tool ok")})}));
    c.messages.push_back(msg(Role::User, {text("   ")}));  // whitespace-only text is dropped
    const Value body = encode(c);
    EXPECT_EQ(*body.find("messages"), parseJson(R"([
        {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
        {"role":"assistant","content":[{"type":"text","text":"calling"},
            {"type":"tool_use","id":"call_1_x","name":"do_work","input":{"a":1}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1_x","content":"tool ok"},
            {"type":"text","text":"after"}]}])"));
}

TEST(ClaudeEncodeRequest, ToolResultTextAndBase64ImageAndUrlImage) {
    Conversation c;
    c.messages.push_back(msg(Role::Assistant, {call("call_1", "do_work", R"({"a":1})")}));
    c.messages.push_back(msg(Role::User, {result("call_1", {text("tool ok"), image("", "", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==")}),
                                          result("call_1", {image("", "", "https://example.com/tool.png")})}));
    const Value msgs = *encode(c).find("messages");
    EXPECT_EQ(*msgs.asArray()[1].findPath("content"), parseJson(R"([
        {"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"tool ok"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}}]},
        {"type":"tool_result","tool_use_id":"call_1","content":[
            {"type":"image","source":{"type":"url","url":"https://example.com/tool.png"}}]}])"));
}

TEST(ClaudeEncodeRequest, ErrorResultsAndInvalidArguments) {
    Conversation c;
    c.messages.push_back(msg(Role::Assistant, {call("c1", "f", "not json")}));
    Part r = result("c1", {});
    r.isError = true;
    c.messages.push_back(msg(Role::User, {r}));
    const Value msgs = *encode(c).find("messages");
    EXPECT_EQ(*msgs.asArray()[0].findPath("content"),
              parseJson(R"([{"type":"tool_use","id":"c1","name":"f","input":{}}])"));
    EXPECT_EQ(*msgs.asArray()[1].findPath("content"),
              parseJson(R"([{"type":"tool_result","tool_use_id":"c1","is_error":true}])"));
}

TEST(ClaudeEncodeRequest, ImagesFilesAndAudio) {
    Part file;
    file.kind = Part::Kind::File;
    file.mimeType = "application/pdf";
    file.data = "JVBERi0=";
    file.filename = "r.pdf";
    Conversation c;
    c.messages.push_back(msg(Role::User, {image("image/jpeg", "/9j/"), image("", "", "https://x.test/a.png"), file}));
    EXPECT_EQ(*encode(c).find("messages"), parseJson(R"([{"role":"user","content":[
        {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}},
        {"type":"image","source":{"type":"url","url":"https://x.test/a.png"}},
        {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"title":"r.pdf"}]}])"));
    Part audio;
    audio.kind = Part::Kind::Audio;
    audio.mimeType = "audio/wav";
    audio.data = "UklG";
    c.messages[0].parts.push_back(audio);
    try {
        encode(c);
        FAIL() << "audio must be refused";
    } catch (const TranslateError& e) {
        EXPECT_NE(std::string(e.what()).find("audio"), std::string::npos);
        EXPECT_EQ(e.param, "messages[0].content");
    }
}

TEST(ClaudeEncodeRequest, ThinkingBudgetsFromReasoning) {
    const auto thinkingFor = [](Reasoning r, std::optional<std::int64_t> maxTokens = std::nullopt) {
        Conversation c = hello();
        c.reasoning = std::move(r);
        c.maxTokens = maxTokens;
        const Value body = encode(c);
        const Value* t = body.find("thinking");
        return t ? toJson(*t) : std::string("absent");
    };
    EXPECT_EQ(thinkingFor(budget(5000)), R"({"type":"enabled","budget_tokens":5000})");
    EXPECT_EQ(thinkingFor(budget(100)), R"({"type":"enabled","budget_tokens":1024})");
    EXPECT_EQ(thinkingFor(budget(0)), R"({"type":"disabled"})");
    EXPECT_EQ(thinkingFor(budget(-1)), R"({"type":"enabled","budget_tokens":8192})");
    EXPECT_EQ(thinkingFor(effort("high")), R"({"type":"enabled","budget_tokens":24576})");
    EXPECT_EQ(thinkingFor(effort("minimal")), R"({"type":"enabled","budget_tokens":1024})");
    EXPECT_EQ(thinkingFor(effort("none")), R"({"type":"disabled"})");
    EXPECT_EQ(thinkingFor(effort("auto")), R"({"type":"enabled","budget_tokens":8192})");
    EXPECT_EQ(thinkingFor(effort("extreme")), "absent");
    EXPECT_EQ(thinkingFor([] { Reasoning r; r.includeThoughts = true; return r; }()), R"({"type":"enabled","budget_tokens":8192})");
    EXPECT_EQ(thinkingFor({}), "absent");
    // budget_tokens must stay below max_tokens
    EXPECT_EQ(thinkingFor(effort("high"), 4000), R"({"type":"enabled","budget_tokens":3999})");
    EXPECT_EQ(thinkingFor(effort("max")), R"({"type":"enabled","budget_tokens":31999})");
    EXPECT_EQ(thinkingFor(effort("high"), 1000), "absent");
}

TEST(ClaudeEncodeRequest, ThinkingHistoryOnlySignedAndWhenEnabled) {
    Conversation c = hello();
    c.messages.push_back(msg(Role::Assistant, {thinking("mine", "sig-a"), thinking("unsigned", ""),
                                               thinking("", "opaque", true), text("answer")}));
    c.messages.push_back(msg(Role::User, {text("more")}));
    const Value off = encode(c);
    EXPECT_EQ(*off.find("messages")->asArray()[1].find("content"),
              parseJson(R"([{"type":"text","text":"answer"}])"));
    c.reasoning.budget = 2048;
    const Value on = encode(c);
    EXPECT_EQ(*on.find("messages")->asArray()[1].find("content"), parseJson(R"([
        {"type":"thinking","thinking":"mine","signature":"sig-a"},
        {"type":"redacted_thinking","data":"opaque"},
        {"type":"text","text":"answer"}])"));
}

TEST(ClaudeEncodeRequest, ThinkingLeftOffWhenTheLastToolTurnHasNoThinking) {
    Conversation c = hello();
    c.reasoning.effort = "medium";
    c.messages.push_back(msg(Role::Assistant, {call("c1", "f", "{}")}));
    c.messages.push_back(msg(Role::User, {result("c1", {text("ok")})}));
    EXPECT_FALSE(encode(c).contains("thinking"));
    c.messages[1].parts.insert(c.messages[1].parts.begin(), thinking("plan", "sig"));
    EXPECT_EQ(*encode(c).findPath("thinking.type"), Value("enabled"));
}

TEST(ClaudeEncodeRequest, ToolDeclarationsAndBuiltins) {
    Conversation c = hello();
    const ToolDecl withSchema = fn("get_weather", "Weather", parseJson(R"({"properties":{"city":{"type":"string"}}})"));
    const ToolDecl bare = fn("ping");
    const ToolDecl server = builtinTool("bash_20250124", R"({"type":"bash_20250124","name":"bash"})", "bash");
    const ToolDecl search = builtinTool("web_search", R"({"type":"web_search","filters":{"allowed_domains":["a.com"]},
                        "user_location":{"type":"approximate","city":"Paris","country":"FR"}})");
    c.tools = {withSchema, bare, server, search};
    EXPECT_EQ(*encode(c).find("tools"), parseJson(R"([
        {"name":"get_weather","description":"Weather","input_schema":{"properties":{"city":{"type":"string"}},"type":"object"}},
        {"name":"ping","input_schema":{"type":"object","properties":{}}},
        {"type":"bash_20250124","name":"bash"},
        {"type":"web_search_20250305","name":"web_search","allowed_domains":["a.com"],
         "user_location":{"type":"approximate","city":"Paris","country":"FR"}}])"));
    c.tools = {builtinTool("google_search", R"({"googleSearch":{}})")};
    EXPECT_EQ(*encode(c).find("tools"), parseJson(R"([{"type":"web_search_20250305","name":"web_search"}])"));
    c.tools = {builtinTool("code_execution", R"({"codeExecution":{}})")};
    try {
        encode(c);
        FAIL() << "code_execution must be refused";
    } catch (const TranslateError& e) {
        EXPECT_NE(std::string(e.what()).find("code_execution"), std::string::npos);
        EXPECT_EQ(e.param, "tools");
    }
}

TEST(ClaudeEncodeRequest, ToolChoiceModes) {
    const auto choiceFor = [](ToolChoice tc, bool withTools = true) {
        Conversation c = hello();
        if (withTools) c.tools = {fn("f")};
        c.toolChoice = std::move(tc);
        const Value body = encode(c);
        const Value* t = body.find("tool_choice");
        return t ? toJson(*t) : std::string("absent");
    };
    EXPECT_EQ(choiceFor(choose(ToolChoice::Mode::Auto)), R"({"type":"auto"})");
    EXPECT_EQ(choiceFor(choose(ToolChoice::Mode::Required)), R"({"type":"any"})");
    EXPECT_EQ(choiceFor(choose(ToolChoice::Mode::None)), R"({"type":"none"})");
    EXPECT_EQ(choiceFor(choose(ToolChoice::Mode::Named, "f")), R"({"type":"tool","name":"f"})");
    EXPECT_EQ(choiceFor(choose(ToolChoice::Mode::Required, "", false)),
              R"({"type":"any","disable_parallel_tool_use":true})");
    EXPECT_EQ(choiceFor(choose(ToolChoice::Mode::Unset, "", false)), R"({"type":"auto","disable_parallel_tool_use":true})");
    EXPECT_EQ(choiceFor({}), "absent");
    EXPECT_EQ(choiceFor(choose(ToolChoice::Mode::Auto), false), "absent");  // no tools, no choice
}

TEST(ClaudeEncodeRequest, ToolNamesAreSanitisedAndRecorded) {
    Conversation c;
    c.tools = {fn("files.read"), fn("files:read")};
    c.toolChoice = choose(ToolChoice::Mode::Named, "files.read");
    c.messages.push_back(msg(Role::Assistant, {call("c1", "files.read", "{}")}));
    Exchange ex;
    const Value body = claudeCodec().encodeRequest(c, opts("m"), ex);
    EXPECT_EQ(*body.findPath("tools")->asArray()[0].find("name"), Value("files_read"));
    EXPECT_EQ(*body.findPath("tools")->asArray()[1].find("name"), Value("files_read_2"));
    EXPECT_EQ(*body.findPath("tool_choice.name"), Value("files_read"));
    EXPECT_EQ(*body.find("messages")->asArray()[0].find("content")->asArray()[0].find("name"), Value("files_read"));
    EXPECT_EQ(ex.clientToolName("files_read"), "files.read");
    EXPECT_EQ(ex.clientToolName("files_read_2"), "files:read");
}

TEST(ClaudeEncodeRequest, ResponseFormats) {
    Conversation c = hello();
    c.responseFormat.kind = ResponseFormat::Kind::JsonObject;
    EXPECT_NO_THROW(encode(c));
    c.responseFormat.kind = ResponseFormat::Kind::JsonSchema;
    try {
        encode(c);
        FAIL() << "json_schema must be refused";
    } catch (const TranslateError& e) {
        EXPECT_EQ(e.param, "response_format");
    }
}

TEST(ClaudeEncodeRequest, CountTokensBody) {
    Conversation c = hello();
    c.system = {text("sys")};
    c.tools = {fn("f")};
    c.maxTokens = 100;
    c.temperature = 1.0;
    const Value body = encode(c, opts("claude-up", true, true));
    EXPECT_EQ(body, parseJson(R"({"model":"claude-up","system":[{"type":"text","text":"sys"}],
        "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}],
        "tools":[{"name":"f","input_schema":{"type":"object","properties":{}}}]})"));
}

TEST(ClaudeEncodeRequest, ImageSystemInstructionsAreRefused) {
    Conversation c = hello();
    c.system = {image("image/png", "AAA=")};
    EXPECT_THROW(encode(c), TranslateError);
}

}  // namespace
}  // namespace cpa::proxy::translate
