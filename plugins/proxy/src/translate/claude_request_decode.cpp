// A client's Messages body → the canonical conversation.
#include "translate/claude_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

#include <deque>
#include <map>

namespace cpa::proxy::translate::claude {

using cpa::sdk::Value;

namespace {

[[noreturn]] void bad(const std::string& message, const std::string& param) { throw TranslateError(message, param); }

std::string at(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }

/// A member that is absent or null counts as not given; any other type than
/// the expected one is a wrong-shaped body.
const Value* given(const Value& v, std::string_view key) {
    const Value* m = member(v, key);
    return m && !m->isNull() ? m : nullptr;
}

std::optional<double> optNumber(const Value& body, std::string_view key) {
    const Value* m = given(body, key);
    if (!m) return std::nullopt;
    if (!m->isNumber()) bad(std::string(key) + " must be a number", std::string(key));
    return m->asDouble();
}

std::optional<std::int64_t> optInt(const Value& body, std::string_view key) {
    const Value* m = given(body, key);
    if (!m) return std::nullopt;
    if (!m->isNumber()) bad(std::string(key) + " must be an integer", std::string(key));
    return m->isInt() ? m->asInt() : static_cast<std::int64_t>(m->asDouble());
}

/// Pairs tool results with calls: ids minted for id-less tool_use blocks are
/// handed FIFO to id-less tool_result blocks (canonical conventions).
struct DecodeState {
    std::deque<std::string> mintedPending;
};

void decodeSystem(const Value& body, Conversation& c) {
    const Value* sys = given(body, "system");
    if (!sys) return;
    if (sys->isString()) {
        if (!sys->asString().empty()) c.system.push_back(Part::textPart(sys->asString()));
        return;
    }
    if (!sys->isArray()) bad("system must be a string or an array of text blocks", "system");
    std::size_t i = 0;
    for (const Value& block : sys->asArray()) {
        if (!block.isObject()) bad("system blocks must be objects", at("system", i));
        // Only text is valid in a Claude system prompt; cache_control is provider-only metadata.
        if (stringMember(block, "type") == "text" && !stringMember(block, "text").empty())
            c.system.push_back(Part::textPart(stringMember(block, "text")));
        ++i;
    }
}

Part decodeMedia(const Value& block, Part::Kind kind, const std::string& path) {
    const Value* source = member(block, "source");
    if (!source || !source->isObject()) bad("a media block needs a source object", path + ".source");
    const std::string type = stringMember(*source, "type");
    Part p;
    p.kind = kind;
    if (type == "base64") {
        p.mimeType = stringMember(*source, "media_type");
        p.data = stringMember(*source, "data");
    } else if (type == "url") {
        p.url = stringMember(*source, "url");
        if (kind == Part::Kind::File) p.mimeType = "application/pdf";  // Claude URL documents are PDFs
    } else {
        bad("unsupported " + std::string(kind == Part::Kind::Image ? "image" : "document") + " source type \"" +
                type + "\"",
            path + ".source.type");
    }
    if (kind == Part::Kind::File) p.filename = stringMember(block, "title");
    return p;
}

/// A document block: binary sources become File parts; plain-text and
/// content sources are text the model reads, so they become Text parts.
void decodeDocument(const Value& block, const std::string& path, std::vector<Part>& out) {
    const Value* source = member(block, "source");
    const std::string type = source ? stringMember(*source, "type") : std::string();
    if (type == "text") {
        out.push_back(Part::textPart(stringMember(*source, "data")));
        return;
    }
    if (type == "content") {
        const Value* content = member(*source, "content");
        if (content && content->isString()) out.push_back(Part::textPart(content->asString()));
        if (content && content->isArray())
            for (const Value& b : content->asArray())
                if (stringMember(b, "type") == "text") out.push_back(Part::textPart(stringMember(b, "text")));
        return;
    }
    out.push_back(decodeMedia(block, Part::Kind::File, path));
}

/// tool_result content: a string, blocks (text, image, document) or, from
/// lenient clients, an object; anything else is kept as its JSON text.
std::vector<Part> decodeToolResultContent(const Value* content, const std::string& path) {
    std::vector<Part> out;
    if (!content || content->isNull()) return out;
    if (content->isString()) {
        if (!content->asString().empty()) out.push_back(Part::textPart(content->asString()));
        return out;
    }
    const Value::Array items = content->isArray() ? content->asArray() : Value::Array{*content};
    std::size_t i = 0;
    for (const Value& item : items) {
        const std::string type = stringMember(item, "type");
        if (item.isString()) out.push_back(Part::textPart(item.asString()));
        else if (type == "image") out.push_back(decodeMedia(item, Part::Kind::Image, at(path, i)));
        else if (type == "document") decodeDocument(item, at(path, i), out);
        else if (member(item, "text") && member(item, "text")->isString())
            out.push_back(Part::textPart(stringMember(item, "text")));
        else out.push_back(Part::textPart(cpa::sdk::toJson(item)));
        ++i;
    }
    return out;
}

Part decodeToolUse(const Value& block, const std::string& path, DecodeState& st) {
    Part p;
    p.kind = Part::Kind::ToolCall;
    p.callId = stringMember(block, "id");
    p.name = stringMember(block, "name");
    if (p.name.empty()) bad("tool_use blocks need a name", path + ".name");
    if (p.callId.empty()) {
        p.callId = randomId("call_");
        st.mintedPending.push_back(p.callId);
    }
    const Value* input = member(block, "input");
    p.arguments = input && input->isObject() ? cpa::sdk::toJson(*input) : "{}";
    return p;
}

Part decodeToolResult(const Value& block, const std::string& path, DecodeState& st) {
    Part p;
    p.kind = Part::Kind::ToolResult;
    p.callId = stringMember(block, "tool_use_id");
    if (p.callId.empty() && !st.mintedPending.empty()) {
        p.callId = st.mintedPending.front();
        st.mintedPending.pop_front();
    }
    if (p.callId.empty()) p.callId = randomId("call_");
    p.content = decodeToolResultContent(member(block, "content"), path + ".content");
    if (const Value* e = member(block, "is_error")) p.isError = e->boolOr(false);
    return p;  // name: filled from the matching tool_use once the whole request is read
}

Part thinkingPart(const Value& block, bool redacted) {
    Part p;
    p.kind = Part::Kind::Thinking;
    p.redacted = redacted;
    p.text = redacted ? std::string() : stringMember(block, "thinking");
    p.signature = stringMember(block, redacted ? "data" : "signature");
    return p;
}

void decodeBlock(const Value& block, Role role, const std::string& path, DecodeState& st, std::vector<Part>& out) {
    if (!block.isObject()) bad("content blocks must be objects", path);
    const std::string type = stringMember(block, "type");
    if (type == "text") {
        const Value* t = member(block, "text");
        if (!t || !t->isString()) bad("text blocks need a string text", path + ".text");
        out.push_back(Part::textPart(t->asString()));
    } else if (type == "image") {
        out.push_back(decodeMedia(block, Part::Kind::Image, path));
    } else if (type == "document") {
        decodeDocument(block, path, out);
    } else if (type == "tool_use") {
        out.push_back(decodeToolUse(block, path, st));
    } else if (type == "tool_result") {
        out.push_back(decodeToolResult(block, path, st));
    } else if ((type == "thinking" || type == "redacted_thinking") && role == Role::Assistant) {
        // Thinking in user turns is not the model's and is ignored (as the original's tests expect).
        Part p = thinkingPart(block, type == "redacted_thinking");
        if (!p.text.empty() || !p.signature.empty()) out.push_back(std::move(p));
    }
    // Other block types (server tool blocks, search results, …) are Claude-only history: ignored.
}

Message decodeMessage(const Value& m, std::size_t index, DecodeState& st) {
    const std::string path = at("messages", index);
    if (!m.isObject()) bad("each message must be an object", path);
    const std::string role = stringMember(m, "role");
    if (role != "user" && role != "assistant") bad("message role must be \"user\" or \"assistant\"", path + ".role");
    Message msg;
    msg.role = role == "user" ? Role::User : Role::Assistant;
    const Value* content = member(m, "content");
    if (content && content->isString()) {
        msg.parts.push_back(Part::textPart(content->asString()));
    } else if (content && content->isArray()) {
        std::size_t i = 0;
        for (const Value& block : content->asArray()) decodeBlock(block, msg.role, at(path + ".content", i++), st, msg.parts);
    } else {
        bad("message content must be a string or an array of content blocks", path + ".content");
    }
    return msg;
}

/// ToolResult.name ← the name of the tool_use with the same id (translation.md §5.2 L10).
void fillToolResultNames(Conversation& c) {
    std::map<std::string, std::string, std::less<>> names;
    for (const Message& m : c.messages)
        for (const Part& p : m.parts)
            if (p.kind == Part::Kind::ToolCall) names.emplace(p.callId, p.name);
    for (Message& m : c.messages)
        for (Part& p : m.parts)
            if (p.kind == Part::Kind::ToolResult && p.name.empty())
                if (const auto it = names.find(p.callId); it != names.end()) p.name = it->second;
}

void decodeMessages(const Value& body, Conversation& c) {
    const Value* messages = member(body, "messages");
    if (!messages || !messages->isArray()) bad("messages must be an array", "messages");
    DecodeState st;
    std::size_t i = 0;
    for (const Value& m : messages->asArray()) c.messages.push_back(decodeMessage(m, i++, st));
    fillToolResultNames(c);
}

}  // namespace

Conversation decodeRequest(const Value& body) {
    if (!body.isObject()) bad("the request body must be a JSON object", "");
    Conversation c;
    c.model = stringMember(body, "model");
    if (const Value* s = given(body, "stream")) {
        if (!s->isBool()) bad("stream must be a boolean", "stream");
        c.stream = s->asBool();
    }
    decodeSystem(body, c);
    decodeMessages(body, c);
    decodeTools(body, c);
    decodeToolChoice(body, c);
    c.maxTokens = optInt(body, "max_tokens");
    c.temperature = optNumber(body, "temperature");
    c.topP = optNumber(body, "top_p");
    c.topK = optInt(body, "top_k");
    if (const Value* stops = given(body, "stop_sequences")) {
        if (!stops->isArray()) bad("stop_sequences must be an array of strings", "stop_sequences");
        for (const Value& s : stops->asArray()) {
            if (!s.isString()) bad("stop_sequences must be an array of strings", "stop_sequences");
            c.stop.push_back(s.asString());
        }
    }
    decodeReasoning(body, c);
    decodeOutputFormat(body, c);
    if (const Value* meta = given(body, "metadata")) c.user = stringMember(*meta, "user_id");
    return c;
}

}  // namespace cpa::proxy::translate::claude
