// Canonical → a Messages request body for a Claude upstream.
#include "translate/claude_internal.hpp"
#include "translate/common.hpp"

#include <algorithm>

namespace cpa::proxy::translate::claude {

using cpa::sdk::Value;

namespace {

constexpr std::int64_t kDefaultMaxTokens = 32000;  // translation.md §2.9: Claude requires max_tokens

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string at(std::size_t i) { return "messages[" + std::to_string(i) + "].content"; }

/// tool_result content: a lone text stays a string, otherwise blocks.
Value toolResultContent(const std::vector<Part>& parts, const std::string& path) {
    Value blocks = Value::array();
    for (const Part& p : parts) {
        if (p.kind == Part::Kind::Text) {
            if (!blank(p.text)) blocks.push(Value::object({{"type", "text"}, {"text", p.text}}));
        } else if (p.kind == Part::Kind::Image || p.kind == Part::Kind::File) {
            blocks.push(mediaBlock(p));
        } else {
            throw TranslateError("this tool result content is not supported by Claude models", path);
        }
    }
    if (blocks.size() == 1 && stringMember(blocks.asArray()[0], "type") == "text")
        return Value(stringMember(blocks.asArray()[0], "text"));
    return blocks;
}

Value toolResultBlock(const Part& p, const std::string& path) {
    Value block = Value::object({{"type", "tool_result"}, {"tool_use_id", sanitizeToolId(p.callId)}});
    Value content = toolResultContent(p.content, path);
    if (content.size() > 0 || (content.isString() && !content.asString().empty())) block.set("content", content);
    if (p.isError) block.set("is_error", true);
    return block;
}

/// Thinking goes back only with a signature and only when the request
/// enables thinking: Claude rejects foreign or unsigned thinking blocks.
Value thinkingBlock(const Part& p, bool thinkingOn) {
    if (!thinkingOn || p.signature.empty()) return Value();
    if (p.redacted) return Value::object({{"type", "redacted_thinking"}, {"data", p.signature}});
    return Value::object({{"type", "thinking"}, {"thinking", p.text}, {"signature", p.signature}});
}

Value encodePart(const Part& p, bool thinkingOn, ToolNames& names, const std::string& path) {
    switch (p.kind) {
        case Part::Kind::Text:
            // Claude rejects empty and whitespace-only text blocks.
            return blank(p.text) ? Value() : Value::object({{"type", "text"}, {"text", p.text}});
        case Part::Kind::Image:
        case Part::Kind::File:
            return p.data.empty() && p.url.empty() ? Value() : mediaBlock(p);
        case Part::Kind::Audio: throw TranslateError("audio input is not supported by Claude models", path);
        case Part::Kind::Thinking: return thinkingBlock(p, thinkingOn);
        case Part::Kind::ToolCall:
            return Value::object({{"type", "tool_use"},
                                  {"id", sanitizeToolId(p.callId)},
                                  {"name", names.sent(p.name)},
                                  {"input", argumentsObject(p.arguments)}});
        case Part::Kind::ToolResult: return toolResultBlock(p, path);
    }
    return Value();
}

struct Turn {
    Role role;
    Value::Array blocks;
};

/// Roles must alternate: consecutive same-role turns merge; in a user turn
/// tool_result blocks come first, as Claude requires.
Value encodeMessages(const Conversation& c, bool thinkingOn, ToolNames& names) {
    std::vector<Turn> turns;
    for (std::size_t i = 0; i < c.messages.size(); ++i) {
        const Message& m = c.messages[i];
        Value::Array blocks;
        for (const Part& p : m.parts)
            if (Value b = encodePart(p, thinkingOn, names, at(i)); !b.isNull()) blocks.push_back(std::move(b));
        if (blocks.empty()) continue;
        if (turns.empty() || turns.back().role != m.role) turns.push_back({m.role, {}});
        for (Value& b : blocks) turns.back().blocks.push_back(std::move(b));
    }
    Value out = Value::array();
    for (Turn& t : turns) {
        if (t.role == Role::User)
            std::stable_partition(t.blocks.begin(), t.blocks.end(),
                                  [](const Value& b) { return stringMember(b, "type") == "tool_result"; });
        out.push(Value::object({{"role", t.role == Role::User ? "user" : "assistant"}, {"content", std::move(t.blocks)}}));
    }
    if (out.size() == 0)  // Claude needs a message; as the original, an empty user turn (translation.md §5.1)
        out.push(Value::object(
            {{"role", "user"}, {"content", Value::Array{Value::object({{"type", "text"}, {"text", ""}})}}}));
    return out;
}

Value encodeSystem(const std::vector<Part>& system) {
    Value out = Value::array();
    for (const Part& p : system) {
        if (p.kind != Part::Kind::Text)
            throw TranslateError("only text system instructions are supported by Claude models", "system");
        if (!blank(p.text)) out.push(Value::object({{"type", "text"}, {"text", p.text}}));
    }
    return out;
}

/// thinking: enabled with a budget below max_tokens (Claude's rule), or disabled.
Value encodeThinking(const Conversation& c, std::int64_t maxTokens) {
    const auto budget = thinkingBudget(c.reasoning);
    if (!budget) return Value();
    if (*budget == 0) return Value::object({{"type", "disabled"}});
    const std::int64_t b = std::min(*budget, maxTokens - 1);
    if (b < 1024) return Value();  // no room to think within max_tokens
    return Value::object({{"type", "enabled"}, {"budget_tokens", b}});
}

/// Claude refuses thinking when the last assistant turn calls tools without
/// starting with a thinking block (history from a format that had none):
/// thinking is then left off rather than failing the request.
bool lastToolTurnLacksThinking(const Value& messages) {
    const Value::Array& all = messages.asArray();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (stringMember(*it, "role") != "assistant") continue;
        const Value::Array& blocks = member(*it, "content")->asArray();
        const bool callsTools = std::any_of(blocks.begin(), blocks.end(),
                                            [](const Value& b) { return stringMember(b, "type") == "tool_use"; });
        const std::string first = stringMember(blocks.front(), "type");
        return callsTools && first != "thinking" && first != "redacted_thinking";
    }
    return false;
}

void encodeSampling(const Conversation& c, Value& body) {
    // temperature, else top_p: never both, as the original (translation.md §2.2).
    if (c.temperature) body.set("temperature", *c.temperature);
    else if (c.topP) body.set("top_p", *c.topP);
    if (c.topK) body.set("top_k", *c.topK);
    if (!c.stop.empty()) {
        Value stops = Value::array();
        for (const std::string& s : c.stop) stops.push(s);
        body.set("stop_sequences", std::move(stops));
    }
}

}  // namespace

Value encodeRequest(const Conversation& c, const EncodeOptions& options, Exchange& exchange) {
    if (c.responseFormat.kind == ResponseFormat::Kind::JsonSchema)
        throw TranslateError("response_format json_schema is not supported by Claude models", "response_format");
    ToolNames names(exchange);
    const std::int64_t maxTokens = c.maxTokens.value_or(kDefaultMaxTokens);
    Value thinking = encodeThinking(c, maxTokens);
    Value messages = encodeMessages(c, stringMember(thinking, "type") == "enabled", names);
    if (stringMember(thinking, "type") == "enabled" && lastToolTurnLacksThinking(messages)) {
        thinking = Value();
        messages = encodeMessages(c, false, names);
    }

    Value body = Value::object({{"model", options.upstreamModel.empty() ? c.model : options.upstreamModel}});
    if (!options.countTokens) body.set("max_tokens", maxTokens);
    if (Value sys = encodeSystem(c.system); sys.size() > 0) body.set("system", std::move(sys));
    body.set("messages", std::move(messages));
    if (Value tools = encodeTools(c.tools, names); tools.size() > 0) {
        body.set("tools", std::move(tools));
        if (Value choice = encodeToolChoice(c.toolChoice, names); !choice.isNull()) body.set("tool_choice", choice);
    }
    if (!thinking.isNull()) body.set("thinking", thinking);
    if (options.countTokens) return body;  // count_tokens takes no sampling, metadata or stream

    encodeSampling(c, body);
    if (!c.user.empty()) body.set("metadata", Value::object({{"user_id", c.user}}));
    body.set("stream", options.stream);
    return body;
}

}  // namespace cpa::proxy::translate::claude
