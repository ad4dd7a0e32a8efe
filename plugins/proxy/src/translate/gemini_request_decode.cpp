// Gemini generateContent body (client side) → canonical Conversation.
// Both spellings of every field are read (camelCase and snake_case, translation.md §5.2 L7).
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"
#include "translate/gemini_schema.hpp"

#include <cpa/sdk/json.hpp>

#include <deque>
#include <optional>

namespace cpa::proxy::translate::gemini {

namespace {

using cpa::sdk::Value;

struct PendingCall {
    std::string id, name;
};

std::string at(std::string_view base, std::size_t i) { return std::string(base) + "[" + std::to_string(i) + "]"; }

class RequestDecoder {
public:
    Conversation run(const Value& body, const std::string& model, bool stream);

private:
    void decodeSystem(const Value& sys, Conversation& conv);
    void decodeContents(const Value& contents, Conversation& conv);
    std::optional<Part> decodePart(const Value& part, const std::string& path, Role role);
    Part decodeCall(const Value& call, const Value& part, const std::string& path);
    Part decodeResponse(const Value& resp, const std::string& path);

    std::deque<PendingCall> pending_;  // calls awaiting their response, in order (translation.md §5.2 L9)
};

Conversation RequestDecoder::run(const Value& body, const std::string& model, bool stream) {
    if (!body.isObject()) throw TranslateError("the request body must be a JSON object");
    // countTokens may wrap a whole generate request.
    const Value* wrapped = field(body, "generateContentRequest", "generate_content_request");
    const Value& req = wrapped && wrapped->isObject() && !member(body, "contents") ? *wrapped : body;
    Conversation conv;
    conv.model = model;
    conv.stream = stream;
    if (const Value* sys = field(req, "systemInstruction", "system_instruction")) decodeSystem(*sys, conv);
    if (const Value* contents = member(req, "contents")) decodeContents(*contents, conv);
    if (const Value* tools = member(req, "tools")) conv.tools = decodeTools(*tools);
    if (const Value* tc = field(req, "toolConfig", "tool_config")) conv.toolChoice = decodeToolConfig(*tc);
    if (const Value* gc = field(req, "generationConfig", "generation_config")) decodeGenerationConfig(*gc, conv);
    return conv;
}

void RequestDecoder::decodeSystem(const Value& sys, Conversation& conv) {
    if (sys.isString()) {  // lenient: a bare string
        conv.system.push_back(Part::textPart(sys.asString()));
        return;
    }
    if (!sys.isObject()) throw TranslateError("systemInstruction must be an object with parts", "systemInstruction");
    const Value* parts = member(sys, "parts");
    if (!parts) return;
    const Value::Array single{*parts};
    const Value::Array& list = parts->isArray() ? parts->asArray() : single;
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::optional<Part> p = decodePart(list[i], at("systemInstruction.parts", i), Role::User);
        if (p && (p->kind == Part::Kind::Text || p->kind == Part::Kind::Image)) conv.system.push_back(std::move(*p));
    }
}

/// user / function / tool → User; model / assistant → Assistant; anything
/// else alternates from the previous turn, as Gemini itself does (translation.md §3.12).
Role roleOf(const Value& content, const std::string& path, const Conversation& conv) {
    const Value* role = member(content, "role");
    if (role && !role->isString() && !role->isNull())
        throw TranslateError(path + ".role must be a string", path + ".role");
    const std::string r = role && role->isString() ? lowerAscii(role->asString()) : std::string();
    if (r == "user" || r == "function" || r == "tool") return Role::User;
    if (r == "model" || r == "assistant") return Role::Assistant;
    if (conv.messages.empty() || conv.messages.back().role == Role::Assistant) return Role::User;
    return Role::Assistant;
}

bool onlyToolResults(const Message& m) {
    for (const Part& p : m.parts)
        if (p.kind != Part::Kind::ToolResult) return false;
    return !m.parts.empty();
}

void RequestDecoder::decodeContents(const Value& contents, Conversation& conv) {
    if (!contents.isArray()) throw TranslateError("contents must be an array", "contents");
    for (std::size_t i = 0; i < contents.size(); ++i) {
        const Value& c = contents.asArray()[i];
        const std::string path = at("contents", i);
        if (!c.isObject()) throw TranslateError(path + " must be an object", path);
        Message msg;
        msg.role = roleOf(c, path, conv);
        const Value* parts = member(c, "parts");
        if (parts && !parts->isArray()) throw TranslateError(path + ".parts must be an array", path + ".parts");
        for (std::size_t j = 0; parts && j < parts->size(); ++j) {
            if (std::optional<Part> p = decodePart(parts->asArray()[j], at(path + ".parts", j), msg.role))
                msg.parts.push_back(std::move(*p));
        }
        if (msg.parts.empty()) continue;
        // Consecutive turns of function responses are one tool-result turn (conventions).
        if (onlyToolResults(msg) && !conv.messages.empty() && conv.messages.back().role == Role::User &&
            onlyToolResults(conv.messages.back())) {
            for (Part& p : msg.parts) conv.messages.back().parts.push_back(std::move(p));
            continue;
        }
        conv.messages.push_back(std::move(msg));
    }
}

std::optional<Part> RequestDecoder::decodePart(const Value& part, const std::string& path, Role role) {
    if (!part.isObject()) throw TranslateError(path + " must be an object", path);
    if (const Value* call = field(part, "functionCall", "function_call")) return decodeCall(*call, part, path);
    if (const Value* resp = field(part, "functionResponse", "function_response")) return decodeResponse(*resp, path);
    if (std::optional<Part> media = decodeMediaPart(part, path)) return media;
    if (const Value* text = member(part, "text")) {
        if (!text->isString()) throw TranslateError(path + ".text must be a string", path + ".text");
        const Value* thought = member(part, "thought");
        if (thought && thought->isBool() && thought->asBool()) {
            Part p;
            p.kind = Part::Kind::Thinking;
            p.text = text->asString();
            p.signature = stringField(part, "thoughtSignature", "thought_signature");
            return p;
        }
        return Part::textPart(text->asString());
    }
    if (std::optional<std::string> code = codeExecutionText(part); code && role == Role::Assistant)
        return Part::textPart(std::move(*code));
    return std::nullopt;  // nothing canonical (video metadata, a lone signature, …)
}

Part RequestDecoder::decodeCall(const Value& call, const Value& part, const std::string& path) {
    if (!call.isObject()) throw TranslateError(path + ".functionCall must be an object", path + ".functionCall");
    Part p;
    p.kind = Part::Kind::ToolCall;
    p.name = stringMember(call, "name");
    p.callId = stringMember(call, "id");
    if (p.callId.empty()) p.callId = randomId("call_");
    p.arguments = argumentsText(member(call, "args"));
    p.signature = stringField(part, "thoughtSignature", "thought_signature");
    if (p.signature == kSkipSignature) p.signature.clear();  // the sentinel is not a signature
    pending_.push_back({p.callId, p.name});
    return p;
}

Part RequestDecoder::decodeResponse(const Value& resp, const std::string& path) {
    if (!resp.isObject())
        throw TranslateError(path + ".functionResponse must be an object", path + ".functionResponse");
    Part p;
    p.kind = Part::Kind::ToolResult;
    p.name = stringMember(resp, "name");
    p.callId = stringMember(resp, "id");
    // Pair with a pending call: by id, else the oldest of that name, else the oldest (FIFO).
    auto match = pending_.end();
    for (auto it = pending_.begin(); it != pending_.end() && match == pending_.end(); ++it)
        if (!p.callId.empty() ? it->id == p.callId : (p.name.empty() || it->name == p.name)) match = it;
    if (match == pending_.end() && p.callId.empty() && !pending_.empty()) match = pending_.begin();
    if (match != pending_.end()) {
        if (p.callId.empty()) p.callId = match->id;
        if (p.name.empty()) p.name = match->name;
        pending_.erase(match);
    }
    if (p.callId.empty()) p.callId = randomId("call_");
    decodeResponseContent(resp, p);
    return p;
}

}  // namespace

Conversation decodeRequest(const Value& body, const std::string& model, bool stream) {
    return RequestDecoder().run(body, model, stream);
}

}  // namespace cpa::proxy::translate::gemini
