// The original's two-format request vectors (docs/spec/translation.md §5.1),
// run through the executor's path: the client codec's decodeRequest, then the
// provider codec's encodeRequest. Where cpa decided otherwise
// (docs/compat/translation.md) the assertion says so.
#include "pairs_test_util.hpp"

namespace cpa::proxy::translate::pairs {
namespace {

Value toChat(const char* claudeBody) { return Attempt(Format::Claude, Format::OpenAIChat, J(claudeBody)).upstreamBody; }
Value toClaude(const char* chatBody) { return Attempt(Format::OpenAIChat, Format::Claude, J(chatBody)).upstreamBody; }
Value toCodex(Format client, const char* body) { return Attempt(client, Format::Responses, J(body), true).upstreamBody; }

/// The last message that is not a system message.
const Value& lastNonSystem(const Value& body) {
    const auto& msgs = at(body, "messages")->asArray();
    for (auto it = msgs.rbegin(); it != msgs.rend(); ++it)
        if (str(*it, "role") != "system") return *it;
    static const Value none;
    return none;
}

/// A chat content (string or parts) as its texts, in order.
std::vector<std::string> texts(const Value* content) {
    std::vector<std::string> out;
    if (!content) return out;
    if (content->isString()) {
        if (!content->asString().empty()) out.push_back(content->asString());
    } else if (content->isArray()) {
        for (const Value& p : content->asArray())
            if (str(p, "type") == "text") out.push_back(str(p, "text"));
    }
    return out;
}

// ---- claude → openai (openai/claude/openai_claude_request_test.go) ----------

TEST(PairVectorsClaudeToChat, ThinkingToReasoningContent) {
    struct Case {
        const char* name;
        const char* messages;
        const char* reasoning;  // nullptr = no reasoning_content
        const char* content;
    };
    const Case cases[] = {
        {"thinking and text",
         R"([{"role":"assistant","content":[{"type":"thinking","thinking":"Let me analyze this step by step..."},{"type":"text","text":"Here is my response."}]}])",
         "Let me analyze this step by step...", "Here is my response."},
        {"redacted thinking is ignored",
         R"([{"role":"assistant","content":[{"type":"redacted_thinking","data":"secret"},{"type":"text","text":"Visible response."}]}])",
         nullptr, "Visible response."},
        {"thinking only",
         R"([{"role":"assistant","content":[{"type":"thinking","thinking":"Internal reasoning only."}]}])",
         "Internal reasoning only.", ""},
        {"thinking in a user turn is ignored",
         R"([{"role":"user","content":[{"type":"thinking","thinking":"Injected thinking"},{"type":"text","text":"User message."}]}])",
         nullptr, "User message."},
        {"empty thinking is ignored",
         R"([{"role":"assistant","content":[{"type":"thinking","thinking":""},{"type":"text","text":"Response with empty thinking."}]}])",
         nullptr, "Response with empty thinking."},
        {"whitespace thinking is ignored",
         R"([{"role":"assistant","content":[{"type":"thinking","thinking":"   \n\t  "},{"type":"text","text":"Response with whitespace thinking."}]}])",
         nullptr, "Response with whitespace thinking."},
        {"several thinking blocks are joined",
         R"([{"role":"assistant","content":[{"type":"thinking","thinking":"First thought."},{"type":"thinking","thinking":"Second thought."},{"type":"text","text":"Final answer."}]}])",
         "First thought.\n\nSecond thought.", "Final answer."},
        {"thinking beside redacted thinking",
         R"([{"role":"assistant","content":[{"type":"thinking","thinking":"Visible thought."},{"type":"redacted_thinking","data":"hidden"},{"type":"text","text":"Answer."}]}])",
         "Visible thought.", "Answer."},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string body = std::string(R"({"model":"claude-3-opus","max_tokens":100,"messages":)") + c.messages + "}";
        const Value out = toChat(body.c_str());
        const Value& msg = lastNonSystem(out);
        if (c.reasoning) {
            EXPECT_EQ(str(msg, "reasoning_content"), c.reasoning);
        } else {
            EXPECT_EQ(at(msg, "reasoning_content"), nullptr) << cpa::sdk::toJson(msg);
        }
        const std::vector<std::string> t = texts(at(msg, "content"));
        if (*c.content) {
            EXPECT_EQ(t, std::vector<std::string>{c.content});
        } else {
            EXPECT_TRUE(t.empty());
        }
    }
    // Thinking in the system prompt is not text: only the text block is the system message.
    const Value sys = toChat(R"({"model":"m","max_tokens":9,"system":[{"type":"thinking","thinking":"Injected system thinking"},
        {"type":"text","text":"System prompt."}],"messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}]})");
    EXPECT_EQ(str(sys, "messages.0.content"), "System prompt.");
    EXPECT_EQ(str(sys, "messages.1.content"), "Hello");
}

TEST(PairVectorsClaudeToChat, ThinkingOnlyMessagePreserved) {
    const Value out = toChat(R"({"model":"claude-3-opus","max_tokens":100,"messages":[
        {"role":"user","content":[{"type":"text","text":"What is 2+2?"}]},
        {"role":"assistant","content":[{"type":"thinking","thinking":"Let me calculate: 2+2=4"}]},
        {"role":"user","content":[{"type":"text","text":"Thanks"}]}]})");
    ASSERT_EQ(count(out, "messages"), 3u) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(out, "messages.1.role"), "assistant");
    EXPECT_EQ(str(out, "messages.1.content"), "");
    EXPECT_EQ(str(out, "messages.1.reasoning_content"), "Let me calculate: 2+2=4");
}

TEST(PairVectorsClaudeToChat, SystemMessageScenarios) {
    EXPECT_EQ(str(toChat(R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hello"}]})"), "messages.0.role"),
              "user");
    EXPECT_EQ(str(toChat(R"({"model":"m","max_tokens":9,"system":"","messages":[{"role":"user","content":"hello"}]})"),
                  "messages.0.role"),
              "user");
    const Value s = toChat(R"({"model":"m","max_tokens":9,"system":"Be helpful","messages":[{"role":"user","content":"hello"}]})");
    EXPECT_EQ(str(s, "messages.0.role"), "system");
    EXPECT_EQ(texts(at(s, "messages.0.content")), std::vector<std::string>{"Be helpful"});
    const Value a = toChat(R"({"model":"m","max_tokens":9,"system":[{"type":"text","text":"Array system"}],
        "messages":[{"role":"user","content":"hello"}]})");
    EXPECT_EQ(texts(at(a, "messages.0.content")), std::vector<std::string>{"Array system"});
    const Value two = toChat(R"({"model":"m","max_tokens":9,"system":[{"type":"text","text":"Block 1"},{"type":"text","text":"Block 2"}],
        "messages":[{"role":"user","content":"hello"}]})");
    EXPECT_EQ(str(two, "messages.0.role"), "system");
    EXPECT_EQ(texts(at(two, "messages.0.content")), (std::vector<std::string>{"Block 1", "Block 2"}));
    EXPECT_EQ(str(two, "messages.1.role"), "user");
}

constexpr const char* kDoWork =
    R"({"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"do_work","input":{"a":1}}]})";

TEST(PairVectorsClaudeToChat, ToolResultOrderAndContent) {
    const std::string body = std::string(R"({"model":"m","max_tokens":9,"messages":[)") + kDoWork + R"(,
        {"role":"user","content":[{"type":"text","text":"before"},
            {"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"tool ok"}]},
            {"type":"text","text":"after"}]}]})";
    const Value out = toChat(body.c_str());
    ASSERT_EQ(count(out, "messages"), 3u) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(out, "messages.0.role"), "assistant");
    EXPECT_NE(at(out, "messages.0.tool_calls"), nullptr);
    EXPECT_EQ(str(out, "messages.1.role"), "tool");  // right after the call, as OpenAI requires
    EXPECT_EQ(str(out, "messages.1.tool_call_id"), "call_1");
    EXPECT_EQ(str(out, "messages.1.content"), "tool ok");
    EXPECT_EQ(str(out, "messages.2.role"), "user");
    EXPECT_EQ(str(out, "messages.2.content.0.text"), "before");
    EXPECT_EQ(str(out, "messages.2.content.1.text"), "after");
}

TEST(PairVectorsClaudeToChat, ToolResultObjectContent) {
    const std::string body = std::string(R"({"model":"m","max_tokens":9,"messages":[)") + kDoWork + R"(,
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":{"foo":"bar"}}]}]})";
    const Value out = toChat(body.c_str());
    ASSERT_EQ(count(out, "messages"), 2u) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(out, "messages.1.role"), "tool");
    EXPECT_EQ(str(J(str(out, "messages.1.content")), "foo"), "bar");
}

TEST(PairVectorsClaudeToChat, ToolResultTextAndImageContent) {
    const std::string body = std::string(R"({"model":"m","max_tokens":9,"messages":[)") + kDoWork + R"(,
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"tool ok"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}}]}]}]})";
    const Value out = toChat(body.c_str());
    ASSERT_EQ(count(out, "messages"), 2u) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(out, "messages.1.content.0.type"), "text");
    EXPECT_EQ(str(out, "messages.1.content.0.text"), "tool ok");
    EXPECT_EQ(str(out, "messages.1.content.1.type"), "image_url");
    EXPECT_EQ(str(out, "messages.1.content.1.image_url.url"), "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==");
}

TEST(PairVectorsClaudeToChat, ToolResultURLImageOnly) {
    const std::string body = std::string(R"({"model":"m","max_tokens":9,"messages":[)") + kDoWork + R"(,
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1",
            "content":{"type":"image","source":{"type":"url","url":"https://example.com/tool.png"}}}]}]})";
    const Value out = toChat(body.c_str());
    ASSERT_EQ(count(out, "messages"), 2u) << cpa::sdk::toJson(out);
    ASSERT_EQ(count(out, "messages.1.content"), 1u) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(out, "messages.1.content.0.type"), "image_url");
    EXPECT_EQ(str(out, "messages.1.content.0.image_url.url"), "https://example.com/tool.png");
}

TEST(PairVectorsClaudeToChat, AssistantTextToolUseTextOrder) {
    const Value out = toChat(R"({"model":"m","max_tokens":9,"messages":[{"role":"assistant","content":[
        {"type":"text","text":"pre"},{"type":"tool_use","id":"call_1","name":"do_work","input":{"a":1}},
        {"type":"text","text":"post"}]}]})");
    ASSERT_EQ(count(out, "messages"), 1u) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(out, "messages.0.role"), "assistant");
    ASSERT_EQ(count(out, "messages.0.tool_calls"), 1u);
    EXPECT_EQ(str(out, "messages.0.tool_calls.0.id"), "call_1");
    EXPECT_EQ(str(out, "messages.0.tool_calls.0.function.name"), "do_work");
    // The original writes [pre, post] as two parts; cpa writes an all-text
    // assistant content as one string (the shape every compatible server takes).
    EXPECT_EQ(str(out, "messages.0.content"), "prepost");
}

TEST(PairVectorsClaudeToChat, AssistantThinkingToolUseThinkingSplit) {
    const Value out = toChat(R"({"model":"m","max_tokens":9,"messages":[{"role":"assistant","content":[
        {"type":"thinking","thinking":"t1"},{"type":"text","text":"pre"},
        {"type":"tool_use","id":"call_1","name":"do_work","input":{"a":1}},
        {"type":"thinking","thinking":"t2"},{"type":"text","text":"post"}]}]})");
    ASSERT_EQ(count(out, "messages"), 1u) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(out, "messages.0.reasoning_content"), "t1\n\nt2");
    EXPECT_EQ(count(out, "messages.0.tool_calls"), 1u);
    EXPECT_EQ(str(out, "messages.0.content"), "prepost");
}

// ---- openai → claude (claude/openai/chat-completions/claude_openai_request_test.go) --

constexpr const char* kChatCall =
    R"({"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"do_work","arguments":"{\"a\":1}"}}]})";

TEST(PairVectorsChatToClaude, ToolResultTextAndBase64Image) {
    const std::string body = std::string(R"({"model":"gpt-4.1","messages":[)") + kChatCall + R"(,
        {"role":"tool","tool_call_id":"call_1","content":[{"type":"text","text":"tool ok"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="}}]}]})";
    const Value out = toClaude(body.c_str());
    ASSERT_EQ(count(out, "messages"), 2u) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(out, "messages.1.content.0.type"), "tool_result");
    EXPECT_EQ(str(out, "messages.1.content.0.tool_use_id"), "call_1");
    const Value* c = at(out, "messages.1.content.0.content");
    ASSERT_TRUE(c && c->isArray()) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(*c, "0.type"), "text");
    EXPECT_EQ(str(*c, "0.text"), "tool ok");
    EXPECT_EQ(str(*c, "1.type"), "image");
    EXPECT_EQ(str(*c, "1.source.type"), "base64");
    EXPECT_EQ(str(*c, "1.source.media_type"), "image/png");
    EXPECT_EQ(str(*c, "1.source.data"), "iVBORw0KGgoAAAANSUhEUg==");
}

TEST(PairVectorsChatToClaude, ToolResultURLImageOnly) {
    const std::string body = std::string(R"({"model":"gpt-4.1","messages":[)") + kChatCall + R"(,
        {"role":"tool","tool_call_id":"call_1","content":[{"type":"image_url","image_url":{"url":"https://example.com/tool.png"}}]}]})";
    const Value out = toClaude(body.c_str());
    ASSERT_EQ(count(out, "messages"), 2u) << cpa::sdk::toJson(out);
    const Value* c = at(out, "messages.1.content.0.content");
    ASSERT_TRUE(c && c->isArray()) << cpa::sdk::toJson(out);
    EXPECT_EQ(str(*c, "0.type"), "image");
    EXPECT_EQ(str(*c, "0.source.type"), "url");
    EXPECT_EQ(str(*c, "0.source.url"), "https://example.com/tool.png");
}

TEST(PairVectorsChatToClaude, SystemRoleBecomesTopLevelSystem) {
    const Value out = toClaude(R"({"model":"gpt-4.1","messages":[{"role":"system","content":"You are a helpful assistant."},
        {"role":"user","content":"Hello"}]})");
    ASSERT_EQ(count(out, "system"), 1u);
    EXPECT_EQ(str(out, "system.0.type"), "text");
    EXPECT_EQ(str(out, "system.0.text"), "You are a helpful assistant.");
    ASSERT_EQ(count(out, "messages"), 1u);
    EXPECT_EQ(str(out, "messages.0.role"), "user");
    EXPECT_EQ(str(out, "messages.0.content.0.text"), "Hello");
}

TEST(PairVectorsChatToClaude, MultipleSystemMessagesMergedIntoTopLevelSystem) {
    const Value out = toClaude(R"({"model":"gpt-4.1","messages":[{"role":"system","content":"Rule 1"},
        {"role":"system","content":[{"type":"text","text":"Rule 2"}]},{"role":"user","content":"Hello"}]})");
    ASSERT_EQ(count(out, "system"), 2u);
    EXPECT_EQ(str(out, "system.0.text"), "Rule 1");
    EXPECT_EQ(str(out, "system.1.text"), "Rule 2");
    EXPECT_EQ(count(out, "messages"), 1u);
}

TEST(PairVectorsChatToClaude, SystemOnlyInputKeepsFallbackUserMessage) {
    const Value out = toClaude(R"({"model":"gpt-4.1","messages":[{"role":"system","content":"You are a helpful assistant."}]})");
    EXPECT_EQ(str(out, "system.0.text"), "You are a helpful assistant.");
    ASSERT_NE(at(out, "messages"), nullptr);
    EXPECT_EQ(*at(out, "messages"), J(R"([{"role":"user","content":[{"type":"text","text":""}]}])"));
}

// ---- claude → gemini (gemini/claude/…_request_test.go) -------------------------

TEST(PairVectorsClaudeToGemini, ToolChoiceSpecificTool) {
    const Value out = Attempt(Format::Claude, Format::Gemini, J(R"({"model":"m","max_tokens":9,
        "messages":[{"role":"user","content":"hi"}],
        "tools":[{"name":"json","description":"A JSON tool","input_schema":{"type":"object","properties":{}}}],
        "tool_choice":{"type":"tool","name":"json"}})")).upstreamBody;
    EXPECT_EQ(str(out, "toolConfig.functionCallingConfig.mode"), "ANY");
    EXPECT_EQ(*at(out, "toolConfig.functionCallingConfig.allowedFunctionNames"), J(R"(["json"])"));
}

TEST(PairVectorsClaudeToGemini, ImageContent) {
    const Value out = Attempt(Format::Claude, Format::Gemini, J(R"({"model":"m","max_tokens":9,
        "messages":[{"role":"user","content":[{"type":"text","text":"What is in this image?"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]})")).upstreamBody;
    // The original writes snake_case inline_data; Gemini reads both, cpa writes camelCase.
    EXPECT_EQ(str(out, "contents.0.parts.0.text"), "What is in this image?");
    EXPECT_EQ(str(out, "contents.0.parts.1.inlineData.mimeType"), "image/png");
    EXPECT_EQ(str(out, "contents.0.parts.1.inlineData.data"), "iVBORw0KGgo=");
}

// ---- chat → codex (codex/openai/chat-completions/…_request_test.go) ----------

/// The `input` items of a codex request as "type[/role]" labels.
std::vector<std::string> itemLabels(const Value& body) {
    std::vector<std::string> out;
    for (const Value& item : at(body, "input")->asArray()) {
        std::string label = str(item, "type");
        if (label == "message") label += "/" + str(item, "role");
        out.push_back(label);
    }
    return out;
}

TEST(PairVectorsChatToCodex, ToolCallsBecomeItemsAfterTheMessage) {
    const Value out = toCodex(Format::OpenAIChat, R"({"model":"gpt-4o","messages":[
        {"role":"user","content":"What's the weather in Paris and London?"},
        {"role":"assistant","content":"Let me check both.","tool_calls":[
            {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
            {"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"London\"}"}}]},
        {"role":"tool","tool_call_id":"call_a","content":"sunny"},
        {"role":"tool","tool_call_id":"call_b","content":"rainy"}],
        "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]})");
    EXPECT_EQ(itemLabels(out), (std::vector<std::string>{"message/user", "message/assistant", "function_call",
                                                         "function_call", "function_call_output", "function_call_output"}));
    EXPECT_EQ(str(out, "input.1.content.0.type"), "output_text");
    EXPECT_EQ(str(out, "input.1.content.0.text"), "Let me check both.");
    EXPECT_EQ(str(out, "input.2.call_id"), "call_a");
    EXPECT_EQ(str(out, "input.2.name"), "get_weather");
    EXPECT_EQ(J(str(out, "input.2.arguments")), J(R"({"city":"Paris"})"));
    EXPECT_EQ(str(out, "input.3.call_id"), "call_b");
    // Every output pairs with its call by the chat ids (CallIDsMatchBetweenCallAndOutput).
    EXPECT_EQ(str(out, "input.4.call_id"), "call_a");
    EXPECT_EQ(str(out, "input.4.output"), "sunny");
    EXPECT_EQ(str(out, "input.5.call_id"), "call_b");
    EXPECT_EQ(str(out, "input.5.output"), "rainy");
    // ToolsDefinitionTranslated: the flat Responses shape.
    EXPECT_EQ(str(out, "tools.0.type"), "function");
    EXPECT_EQ(str(out, "tools.0.name"), "get_weather");
    EXPECT_EQ(str(out, "tools.0.description"), "Weather");
    EXPECT_EQ(str(out, "tools.0.parameters.properties.city.type"), "string");
    EXPECT_EQ(at(out, "tools.0.function"), nullptr);
}

TEST(PairVectorsChatToCodex, NoSpuriousEmptyAssistantMessage) {
    for (const char* content : {"null", R"("")"}) {  // NoSpuriousEmptyAssistantMessage, EmptyStringContent
        SCOPED_TRACE(content);
        const std::string body = std::string(R"({"model":"gpt-4o","messages":[{"role":"user","content":"Call a tool"},
            {"role":"assistant","content":)") + content + R"(,"tool_calls":[{"id":"call_x","type":"function","function":{"name":"do_thing","arguments":"{}"}}]},
            {"role":"tool","tool_call_id":"call_x","content":"done"}],
            "tools":[{"type":"function","function":{"name":"do_thing","description":"Do a thing","parameters":{"type":"object","properties":{}}}}]})";
        const Value out = toCodex(Format::OpenAIChat, body.c_str());
        EXPECT_EQ(itemLabels(out), (std::vector<std::string>{"message/user", "function_call", "function_call_output"}));
    }
}

TEST(PairVectorsChatToCodex, MultiTurnToolCalling) {
    const Value out = toCodex(Format::OpenAIChat, R"({"model":"gpt-4o","messages":[
        {"role":"user","content":"Read a then b"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"read","arguments":"{\"f\":\"a\"}"}}]},
        {"role":"tool","tool_call_id":"call_1","content":"A"},
        {"role":"assistant","content":"Now b.","tool_calls":[{"id":"call_2","type":"function","function":{"name":"read","arguments":"{\"f\":\"b\"}"}}]},
        {"role":"tool","tool_call_id":"call_2","content":"B"},
        {"role":"assistant","content":"Done."}]})");
    EXPECT_EQ(itemLabels(out),
              (std::vector<std::string>{"message/user", "function_call", "function_call_output", "message/assistant",
                                        "function_call", "function_call_output", "message/assistant"}));
    EXPECT_EQ(str(out, "input.1.call_id"), str(out, "input.2.call_id"));
    EXPECT_EQ(str(out, "input.4.call_id"), "call_2");
    EXPECT_EQ(str(out, "input.5.call_id"), "call_2");
}

TEST(PairVectorsChatToCodex, ToolNameShortening) {
    const std::string longName = "a_very_long_tool_name_that_exceeds_sixty_four_characters_limit_here_test";
    ASSERT_GT(longName.size(), 64u);
    const std::string body = R"({"model":"gpt-4o","messages":[{"role":"user","content":"Do it"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_long","type":"function","function":{"name":")" +
                             longName + R"(","arguments":"{}"}}]},
        {"role":"tool","tool_call_id":"call_long","content":"ok"}],
        "tools":[{"type":"function","function":{"name":")" + longName +
                             R"(","description":"A tool with a very long name","parameters":{"type":"object","properties":{}}}}]})";
    const Attempt a(Format::OpenAIChat, Format::Responses, J(body), true);
    const Value& out = a.upstreamBody;
    const std::string sent = str(out, "input.1.name");
    EXPECT_EQ(str(out, "input.1.call_id"), "call_long");
    EXPECT_LE(sent.size(), 64u);
    EXPECT_NE(sent, longName);
    EXPECT_EQ(str(out, "tools.0.name"), sent);  // consistently in tools and history
    // …and the answer gives the client its own name back.
    EXPECT_EQ(a.ex.clientToolName(sent), longName);
    const Value reply = a.reply(J(R"({"id":"resp_1","object":"response","status":"completed","output":[
        {"type":"function_call","call_id":"call_9","name":")" + sent + R"(","arguments":"{}"}]})"));
    EXPECT_EQ(str(reply, "choices.0.message.tool_calls.0.function.name"), longName);
}

// ---- claude → codex (codex/claude/codex_claude_request_test.go) ---------------

TEST(PairVectorsClaudeToCodex, SystemMessageScenarios) {
    // cpa sends all system text as `instructions` (decision T6), not as a developer message.
    const Value s = toCodex(Format::Claude, R"({"model":"m","max_tokens":9,"system":"Be helpful",
        "messages":[{"role":"user","content":"hello"}]})");
    EXPECT_EQ(str(s, "instructions"), "Be helpful");
    EXPECT_EQ(itemLabels(s), std::vector<std::string>{"message/user"});
    const Value a = toCodex(Format::Claude, R"({"model":"m","max_tokens":9,"system":[{"type":"text","text":"Part 1"},
        {"type":"text","text":"Part 2"}],"messages":[{"role":"user","content":"hello"}]})");
    EXPECT_EQ(str(a, "instructions"), "Part 1\n\nPart 2");
    const Value none = toCodex(Format::Claude, R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hello"}]})");
    EXPECT_EQ(at(none, "instructions"), nullptr);  // build_codex.cpp adds Codex's own default
    EXPECT_EQ(itemLabels(none), std::vector<std::string>{"message/user"});
}

constexpr const char* kClaudeTools =
    R"("tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}])";

TEST(PairVectorsClaudeToCodex, ParallelToolCalls) {
    const std::string off = std::string(R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"}],)") +
                            kClaudeTools + R"(,"tool_choice":{"type":"auto","disable_parallel_tool_use":true}})";
    EXPECT_FALSE(at(toCodex(Format::Claude, off.c_str()), "parallel_tool_calls")->boolOr(true));
    // Absent: nothing is written here; Codex's own default (parallel) applies.
    const std::string absent =
        std::string(R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"}],)") + kClaudeTools + "}";
    const Value* p = at(toCodex(Format::Claude, absent.c_str()), "parallel_tool_calls");
    EXPECT_TRUE(!p || p->boolOr(false));
}

TEST(PairVectorsClaudeToCodex, ToolChoiceModeMapping) {
    for (const auto& [choice, expected] : {std::pair{"auto", "auto"}, std::pair{"any", "required"}, std::pair{"none", "none"}}) {
        SCOPED_TRACE(choice);
        const std::string body = std::string(R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"}],)") +
                                 kClaudeTools + R"(,"tool_choice":{"type":")" + choice + R"("}})";
        EXPECT_EQ(str(toCodex(Format::Claude, body.c_str()), "tool_choice"), expected);
    }
}

TEST(PairVectorsClaudeToCodex, ToolChoiceSpecificFunctionUsesConvertedName) {
    const std::string longName = "mcp__server_with_a_rather_long_name__and_a_tool_whose_name_is_long_too";
    ASSERT_GT(longName.size(), 64u);
    const std::string body = R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"}],
        "tools":[{"name":")" + longName + R"(","input_schema":{"type":"object","properties":{}}}],
        "tool_choice":{"type":"tool","name":")" + longName + R"("}})";
    const Value out = toCodex(Format::Claude, body.c_str());
    EXPECT_EQ(str(out, "tool_choice.type"), "function");
    EXPECT_EQ(str(out, "tool_choice.name"), str(out, "tools.0.name"));
    EXPECT_LE(str(out, "tools.0.name").size(), 64u);
}

TEST(PairVectorsClaudeToCodex, WebSearchToolMapping) {
    const Value out = toCodex(Format::Claude, R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":"news?"}],
        "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":3}],
        "tool_choice":{"type":"tool","name":"web_search"}})");
    EXPECT_EQ(str(out, "tools.0.type"), "web_search");
    EXPECT_EQ(str(out, "tool_choice.type"), "web_search");
}

TEST(PairVectorsClaudeToCodex, AssistantThinkingSignatureToReasoningItem) {
    // A Fernet token (OpenAI's encrypted reasoning): "gAAAA" + base64url of 57 + 16k bytes.
    const std::string fernet = "gAAAAA" + std::string(92, 'x');
    const std::string body = R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":"q"},
        {"role":"assistant","content":[{"type":"thinking","thinking":"mulling","signature":")" + fernet + R"("},
            {"type":"text","text":"a"}]},
        {"role":"assistant","content":[{"type":"thinking","thinking":"claude's","signature":"EqQBclaudesig"},
            {"type":"text","text":"b"}]},
        {"role":"user","content":"next"}]})";
    const Value out = toCodex(Format::Claude, body.c_str());
    EXPECT_EQ(itemLabels(out),
              (std::vector<std::string>{"message/user", "reasoning", "message/assistant", "message/assistant", "message/user"}));
    EXPECT_EQ(str(out, "input.1.encrypted_content"), fernet);
    EXPECT_EQ(str(out, "input.1.summary.0.text"), "mulling");
    EXPECT_EQ(cpa::sdk::toJson(out).find("EqQBclaudesig"), std::string::npos);  // IgnoresNonCodexThinkingSignatures
}

}  // namespace
}  // namespace cpa::proxy::translate::pairs
