// The canonical conversation → a Chat Completions body for an
// OpenAI-compatible upstream (docs/spec/translation.md §3.2–§3.4 "Request").
#include "translate/chat_content.hpp"
#include "translate/chat_internal.hpp"
#include "translate/common.hpp"

namespace cpa::proxy::translate::chat {

namespace {

using cpa::sdk::Value;

bool isContent(const Part& p) {
    return p.kind == Part::Kind::Text || p.kind == Part::Kind::Image || p.kind == Part::Kind::File ||
           p.kind == Part::Kind::Audio;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

void encodeSystem(const std::vector<Part>& system, Value& messages) {
    std::vector<const Part*> parts;
    for (const Part& p : system)
        if (isContent(p)) parts.push_back(&p);
    if (parts.empty()) return;
    messages.push(Value::object({{"role", "system"}, {"content", encodeContent(parts)}}));
}

/// A tool result's content: its text when it is only text (joined like translation.md §3.2),
/// else an array of text / image_url parts.
Value toolResultContent(const Part& r) {
    std::string text;
    bool onlyText = true;
    std::vector<const Part*> parts;
    for (const Part& p : r.content) {
        if (!isContent(p)) continue;
        parts.push_back(&p);
        if (p.kind != Part::Kind::Text) onlyText = false;
        else text += (text.empty() ? "" : "\n\n") + p.text;
    }
    if (onlyText) return text;
    Value arr = Value::array();
    for (const Part* p : parts) arr.push(encodePart(*p));
    return arr;
}

/// Tool results first (one `tool` message each), then the user's other content.
void encodeUser(const Message& m, Value& messages) {
    std::vector<const Part*> parts;
    bool hadResults = false;
    for (const Part& p : m.parts) {
        if (p.kind == Part::Kind::ToolResult) {
            hadResults = true;
            messages.push(Value::object(
                {{"role", "tool"}, {"tool_call_id", p.callId}, {"content", toolResultContent(p)}}));
        } else if (isContent(p)) {
            parts.push_back(&p);
        }
    }
    if (parts.empty() && hadResults) return;
    messages.push(Value::object({{"role", "user"}, {"content", parts.empty() ? Value("") : encodeContent(parts)}}));
}

/// Assistant content: one string when it is all text (the most widely accepted
/// shape among compatible servers), else an array of parts.
Value assistantContent(const std::vector<const Part*>& parts) {
    std::string text;
    for (const Part* p : parts) {
        if (p->kind != Part::Kind::Text) return encodeContent(parts);
        text += p->text;
    }
    return text;
}

void encodeAssistant(const Message& m, Value& messages) {
    std::vector<const Part*> parts;
    std::string reasoning;
    Value calls = Value::array();
    for (const Part& p : m.parts) {
        if (isContent(p)) parts.push_back(&p);
        else if (p.kind == Part::Kind::Thinking && !p.redacted && !blank(p.text))
            reasoning += (reasoning.empty() ? "" : "\n\n") + p.text;  // signatures never leave their provider
        else if (p.kind == Part::Kind::ToolCall)
            calls.push(Value::object(
                {{"id", p.callId},
                 {"type", "function"},
                 {"function", Value::object({{"name", p.name},
                                             {"arguments", p.arguments.empty() ? std::string("{}") : p.arguments}})}}));
    }
    if (parts.empty() && reasoning.empty() && calls.size() == 0) return;
    Value msg = Value::object({{"role", "assistant"}});
    // content is null beside tool calls, "" for a reasoning-only turn.
    msg.set("content", !parts.empty() ? assistantContent(parts) : calls.size() ? Value() : Value(""));
    if (!reasoning.empty()) msg.set("reasoning_content", reasoning);
    if (calls.size()) msg.set("tool_calls", std::move(calls));
    messages.push(std::move(msg));
}

}  // namespace

Value encodeRequest(const Conversation& c, const EncodeOptions& options) {
    if (options.countTokens) throw TranslateError("OpenAI chat upstreams have no token-count endpoint");
    Value out = Value::object({{"model", options.upstreamModel.empty() ? c.model : options.upstreamModel}});
    Value messages = Value::array();
    encodeSystem(c.system, messages);
    for (const Message& m : c.messages) {
        if (m.role == Role::User) encodeUser(m, messages);
        else encodeAssistant(m, messages);
    }
    out.set("messages", std::move(messages));
    out.set("stream", options.stream);
    // Without include_usage an OpenAI stream carries no usage at all.
    if (options.stream) out.set("stream_options", Value::object({{"include_usage", true}}));
    encodeTools(c, out);
    encodeOptions(c, out);
    return out;
}

}  // namespace cpa::proxy::translate::chat
