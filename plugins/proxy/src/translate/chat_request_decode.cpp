// A /v1/chat/completions body → the canonical conversation
// (docs/spec/translation.md §2.1 "OpenAI chat" column). Wrong-shaped bodies
// are refused with a TranslateError naming the field; unknown fields are ignored.
#include "translate/chat_content.hpp"
#include "translate/chat_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

#include <deque>
#include <map>

namespace cpa::proxy::translate::chat {

namespace {

using cpa::sdk::Value;

/// Pairs tool results with their calls: ids seen in assistant tool_calls,
/// in order, so a result without an id takes the oldest unanswered call (FIFO).
struct CallBook {
    std::deque<std::string> unanswered;
    std::map<std::string, std::string, std::less<>> nameById;

    void called(const Part& call) {
        unanswered.push_back(call.callId);
        nameById[call.callId] = call.name;
    }
    /// The id a result answers (its own, else the oldest open call, else a fresh one).
    std::string answer(std::string id) {
        if (id.empty()) {
            if (unanswered.empty()) return randomId("call_");
            id = unanswered.front();
        }
        for (auto it = unanswered.begin(); it != unanswered.end(); ++it)
            if (*it == id) {
                unanswered.erase(it);
                break;
            }
        return id;
    }
    std::string nameOf(std::string_view id) const {
        const auto it = nameById.find(id);
        return it == nameById.end() ? std::string() : it->second;
    }
};

std::string argumentsText(const Value* args) {
    if (!args || args->isNull()) return "{}";
    if (args->isString()) {
        const std::string& s = args->asString();
        return s.find_first_not_of(" \t\r\n") == std::string::npos ? "{}" : s;
    }
    return cpa::sdk::toJson(*args);  // some clients send the object itself
}

Part decodeToolCall(const Value& call, const std::string& path) {
    if (!call.isObject()) throw TranslateError(path + " must be an object", path);
    const std::string type = stringMember(call, "type");
    if (!type.empty() && type != "function")
        throw TranslateError("tool calls of type \"" + type + "\" are not supported", path + ".type");
    const Value* fn = member(call, "function");
    if (!fn || !fn->isObject()) throw TranslateError(path + ".function must be an object", path + ".function");
    Part p;
    p.kind = Part::Kind::ToolCall;
    p.callId = stringMember(call, "id");
    if (p.callId.empty()) p.callId = randomId("call_");
    p.name = stringMember(*fn, "name");
    if (p.name.empty()) throw TranslateError(path + ".function.name is required", path + ".function.name");
    p.arguments = argumentsText(member(*fn, "arguments"));
    return p;
}

Message decodeAssistant(const Value& msg, const std::string& path, CallBook& book) {
    Message m;
    m.role = Role::Assistant;
    // Reasoning in history (non-standard `reasoning_content`, some servers say `reasoning`).
    std::string reasoning = stringMember(msg, "reasoning_content");
    if (reasoning.empty()) reasoning = stringMember(msg, "reasoning");
    if (!reasoning.empty()) {
        Part t = Part::textPart(std::move(reasoning));
        t.kind = Part::Kind::Thinking;
        m.parts.push_back(std::move(t));
    }
    for (Part& p : decodeContent(member(msg, "content"), path + ".content", false)) m.parts.push_back(std::move(p));
    const std::string refusal = stringMember(msg, "refusal");
    if (!refusal.empty()) m.parts.push_back(Part::textPart(refusal));
    if (const Value* calls = member(msg, "tool_calls"); calls && !calls->isNull()) {
        if (!calls->isArray()) throw TranslateError(path + ".tool_calls must be an array", path + ".tool_calls");
        for (std::size_t i = 0; i < calls->size(); ++i) {
            Part call = decodeToolCall(calls->asArray()[i], path + ".tool_calls[" + std::to_string(i) + "]");
            book.called(call);
            m.parts.push_back(std::move(call));
        }
    }
    if (const Value* fc = member(msg, "function_call"); fc && fc->isObject()) {  // the legacy single call
        Part call = decodeToolCall(Value::object({{"function", *fc}}), path + ".function_call");
        book.called(call);
        m.parts.push_back(std::move(call));
    }
    return m;
}

/// A `tool` (or legacy `function`) message → one ToolResult part.
Part decodeToolResult(const Value& msg, const std::string& path, bool legacy, CallBook& book) {
    Part r;
    r.kind = Part::Kind::ToolResult;
    r.callId = book.answer(legacy ? std::string() : stringMember(msg, "tool_call_id"));
    r.name = legacy ? stringMember(msg, "name") : book.nameOf(r.callId);
    if (r.name.empty()) r.name = book.nameOf(r.callId);
    r.content = decodeContent(member(msg, "content"), path + ".content", false);
    return r;
}

void decodeMessages(const Value& messages, Conversation& c) {
    CallBook book;
    bool lastWasTool = false;  // consecutive tool messages merge into one User turn
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const Value& msg = messages.asArray()[i];
        const std::string path = "messages[" + std::to_string(i) + "]";
        if (!msg.isObject()) throw TranslateError(path + " must be an object", path);
        const Value* roleV = member(msg, "role");
        if (!roleV || !roleV->isString()) throw TranslateError(path + ".role is required", path + ".role");
        const std::string& role = roleV->asString();
        const bool isTool = role == "tool" || role == "function";
        if (role == "system" || role == "developer") {  // developer = system (translation.md §2.3 L8)
            for (Part& p : decodeContent(member(msg, "content"), path + ".content", false))
                c.system.push_back(std::move(p));
        } else if (role == "user") {
            c.messages.push_back(Message{Role::User, decodeContent(member(msg, "content"), path + ".content", true)});
        } else if (role == "assistant") {
            c.messages.push_back(decodeAssistant(msg, path, book));
        } else if (isTool) {
            Part r = decodeToolResult(msg, path, role == "function", book);
            if (!lastWasTool) c.messages.push_back(Message{Role::User, {}});
            c.messages.back().parts.push_back(std::move(r));
        } else {
            throw TranslateError("unsupported role \"" + role + "\"", path + ".role");
        }
        lastWasTool = isTool;
    }
}

}  // namespace

Conversation decodeRequest(const Value& body, const std::string& model, bool stream) {
    if (!body.isObject()) throw TranslateError("the request body must be a JSON object");
    const Value* messages = member(body, "messages");
    if (!messages || messages->isNull()) throw TranslateError("messages is required", "messages");
    if (!messages->isArray()) throw TranslateError("messages must be an array", "messages");
    Conversation c;
    c.model = stringMember(body, "model");
    if (c.model.empty()) c.model = model;
    const Value* streamV = member(body, "stream");
    c.stream = streamV && streamV->isBool() ? streamV->asBool() : stream;
    decodeMessages(*messages, c);
    decodeTools(body, c);
    decodeOptions(body, c);
    return c;
}

}  // namespace cpa::proxy::translate::chat
