// A /v1/responses client body → the canonical conversation
// (docs/spec/translation.md §2.1 "OpenAI Responses" column, §3.4/§3.6/§3.8
// for the item shapes). Wrong-shaped bodies are refused with the field's
// path; unknown fields and echo-only item types are ignored.
#include "translate/common.hpp"
#include "translate/responses_internal.hpp"

#include <cpa/sdk/json.hpp>

#include <deque>
#include <map>
#include <optional>

namespace cpa::proxy::translate::responses {

using cpa::sdk::Value;

namespace {

std::string indexed(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }

[[noreturn]] void wrong(const std::string& path, const std::string& what) {
    throw TranslateError(path + " " + what, path);
}

/// MIME type of an input_audio `format` (translation.md §2.4 audio row).
std::string audioMime(const std::string& format) {
    static const std::map<std::string, std::string, std::less<>> kMap = {
        {"mp3", "audio/mpeg"}, {"wav", "audio/wav"},   {"ogg", "audio/ogg"},         {"flac", "audio/flac"},
        {"aac", "audio/aac"},  {"webm", "audio/webm"}, {"pcm16", "audio/pcm"},       {"g711_ulaw", "audio/basic"},
        {"g711_alaw", "audio/basic"}};
    if (format.empty()) return "audio/wav";
    const auto it = kMap.find(format);
    return it == kMap.end() ? "audio/" + format : it->second;
}

/// A MIME type for a bare-base64 file from its name (data URLs carry their own).
std::string fileMime(const std::string& filename) {
    const auto dot = filename.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : lowerAscii(filename.substr(dot + 1));
    static const std::map<std::string, std::string, std::less<>> kMap = {
        {"pdf", "application/pdf"}, {"txt", "text/plain"},  {"md", "text/markdown"}, {"csv", "text/csv"},
        {"json", "application/json"}, {"png", "image/png"}, {"jpg", "image/jpeg"},   {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},       {"webp", "image/webp"}};
    const auto it = kMap.find(ext);
    return it == kMap.end() ? "application/octet-stream" : it->second;
}

Part imagePart(const Value& p, const std::string& path) {
    std::string url;
    if (const Value* u = member(p, "image_url"); u && u->isString()) url = u->asString();
    else if (u && u->isObject()) url = stringMember(*u, "url");
    if (url.empty()) url = stringMember(p, "url");
    if (url.empty()) {
        if (member(p, "file_id")) wrong(path + ".file_id", "(an uploaded-file reference) cannot be translated; send image_url");
        wrong(path + ".image_url", "is required");
    }
    Part part;
    part.kind = Part::Kind::Image;
    if (auto d = parseDataUrl(url)) {
        part.mimeType = d->mimeType;
        part.data = d->data;
    } else {
        part.url = url;
    }
    return part;
}

Part filePart(const Value& p, const std::string& path) {
    Part part;
    part.kind = Part::Kind::File;
    part.filename = stringMember(p, "filename");
    const std::string data = stringMember(p, "file_data");
    if (!data.empty()) {
        if (auto d = parseDataUrl(data)) {
            part.mimeType = d->mimeType;
            part.data = d->data;
        } else {
            part.mimeType = fileMime(part.filename);
            part.data = data;
        }
        return part;
    }
    part.url = stringMember(p, "file_url");
    if (!part.url.empty()) return part;
    if (member(p, "file_id")) wrong(path + ".file_id", "(an uploaded-file reference) cannot be translated; send file_data");
    wrong(path + ".file_data", "is required");
}

Part audioPart(const Value& p, const std::string& path) {
    // Both the flat shape and chat's nested {"input_audio":{data,format}} are seen.
    const Value* src = member(p, "input_audio");
    if (!src || !src->isObject()) src = &p;
    Part part;
    part.kind = Part::Kind::Audio;
    part.data = stringMember(*src, "data");
    if (part.data.empty()) wrong(path + ".data", "is required");
    part.mimeType = audioMime(lowerAscii(stringMember(*src, "format")));
    return part;
}

std::optional<Part> contentPart(const Value& p, const std::string& path) {
    if (!p.isObject()) wrong(path, "must be an object");
    const std::string type = stringMember(p, "type");
    if (type == "input_text" || type == "output_text" || type == "text" || (type.empty() && p.find("text"))) {
        const Value* t = p.find("text");
        if (!t || !t->isString()) wrong(path + ".text", "must be a string");
        return Part::textPart(t->asString());
    }
    if (type == "refusal") return Part::textPart(stringMember(p, "refusal"));
    if (type == "input_image") return imagePart(p, path);
    if (type == "input_file") return filePart(p, path);
    if (type == "input_audio") return audioPart(p, path);
    return std::nullopt;  // other part kinds (annotations, logprobs, …) carry nothing to translate
}

/// `content` (or a function_call_output's `output`): string or array of parts.
std::vector<Part> contentParts(const Value* content, const std::string& path) {
    std::vector<Part> parts;
    if (!content || content->isNull()) return parts;
    if (content->isString()) {
        if (!content->asString().empty()) parts.push_back(Part::textPart(content->asString()));
        return parts;
    }
    if (!content->isArray()) wrong(path, "must be a string or an array");
    for (std::size_t i = 0; i < content->size(); ++i)
        if (auto p = contentPart(content->asArray()[i], indexed(path, i))) parts.push_back(std::move(*p));
    return parts;
}

std::string argumentsText(const Value* args) {
    if (args && args->isString() && args->asString().find_first_not_of(" \t\r\n") != std::string::npos)
        return args->asString();
    if (args && args->isObject()) return cpa::sdk::toJson(*args);
    return "{}";
}

/// Builds the conversation item by item, pairing calls and outputs.
struct InputDecoder {
    Conversation& conv;
    std::map<std::string, std::string, std::less<>> callNames;  // call_id → name, for ToolResult.name
    std::deque<std::string> minted;  // ids minted for calls without one, paired FIFO with outputs

    /// Consecutive items of one role form one turn: tool results and the
    /// user's next words share a User turn, text and calls an Assistant turn.
    void append(Role role, std::vector<Part> parts) {
        if (parts.empty()) return;
        if (conv.messages.empty() || conv.messages.back().role != role) conv.messages.push_back(Message{role, {}});
        auto& dst = conv.messages.back().parts;
        for (Part& p : parts) dst.push_back(std::move(p));
    }

    void message(const Value& item, const std::string& path) {
        const Value* roleV = item.find("role");
        if (!roleV || !roleV->isString()) wrong(path + ".role", "is required (a string)");
        const std::string role = lowerAscii(roleV->asString());
        std::vector<Part> parts = contentParts(item.find("content"), path + ".content");
        if (role == "system" || role == "developer") {
            for (Part& p : parts) {
                if (p.kind != Part::Kind::Text && p.kind != Part::Kind::Image)
                    wrong(path + ".content", "of a " + role + " message may hold only text and images");
                conv.system.push_back(std::move(p));
            }
        } else if (role == "user") {
            append(Role::User, std::move(parts));
        } else if (role == "assistant") {
            append(Role::Assistant, std::move(parts));
        } else {
            wrong(path + ".role", "must be user, assistant, system or developer");
        }
    }

    void functionCall(const Value& item, const std::string& path) {
        Part p;
        p.kind = Part::Kind::ToolCall;
        p.name = stringMember(item, "name");
        if (p.name.empty()) wrong(path + ".name", "is required");
        p.callId = stringMember(item, "call_id");
        if (p.callId.empty()) {
            p.callId = randomId("call_");
            minted.push_back(p.callId);
        }
        p.arguments = argumentsText(item.find("arguments"));
        callNames[p.callId] = p.name;
        append(Role::Assistant, {std::move(p)});
    }

    void functionCallOutput(const Value& item, const std::string& path) {
        Part p;
        p.kind = Part::Kind::ToolResult;
        p.callId = stringMember(item, "call_id");
        if (p.callId.empty() && !minted.empty()) {
            p.callId = minted.front();
            minted.pop_front();
        }
        if (p.callId.empty()) p.callId = randomId("call_");
        if (auto it = callNames.find(p.callId); it != callNames.end()) p.name = it->second;
        const Value* out = item.find("output");
        if (out && (out->isObject() || out->isNumber() || out->isBool())) {
            p.content.push_back(Part::textPart(cpa::sdk::toJson(*out)));
        } else {
            p.content = contentParts(out, path + ".output");
        }
        append(Role::User, {std::move(p)});
    }

    void reasoning(const Value& item) {
        Part p;
        p.kind = Part::Kind::Thinking;
        p.text = reasoningText(item);
        p.signature = stringMember(item, "encrypted_content");
        if (p.text.empty() && p.signature.empty()) return;
        append(Role::Assistant, {std::move(p)});
    }

    void item(const Value& item, const std::string& path) {
        if (!item.isObject()) wrong(path, "must be an object");
        const Value* typeV = item.find("type");
        if (typeV && !typeV->isString()) wrong(path + ".type", "must be a string");
        const std::string type = typeV ? typeV->asString() : "";
        if (type.empty() || type == "message") message(item, path);
        else if (type == "function_call") functionCall(item, path);
        else if (type == "function_call_output") functionCallOutput(item, path);
        else if (type == "reasoning") reasoning(item);
        // item_reference and hosted-tool call records (web_search_call, …) only
        // point at state the upstream kept; a stateless translation has none.
    }
};

void decodeInput(const Value& body, Conversation& conv) {
    const Value* input = body.find("input");
    if (!input || input->isNull()) return;
    if (input->isString()) {
        if (!input->asString().empty()) conv.messages.push_back(Message{Role::User, {Part::textPart(input->asString())}});
        return;
    }
    if (!input->isArray()) wrong("input", "must be a string or an array");
    InputDecoder d{conv, {}, {}};
    for (std::size_t i = 0; i < input->size(); ++i) d.item(input->asArray()[i], indexed("input", i));
}

/// Responses names some hosted tools differently from the canonical kinds.
std::string builtinKind(const std::string& type) {
    if (type.rfind("web_search", 0) == 0) return "web_search";
    if (type == "code_interpreter") return "code_execution";
    return type;
}

void decodeTools(const Value& body, Conversation& conv) {
    const Value* tools = body.find("tools");
    if (!tools || tools->isNull()) return;
    if (!tools->isArray()) wrong("tools", "must be an array");
    for (std::size_t i = 0; i < tools->size(); ++i) {
        const Value& t = tools->asArray()[i];
        const std::string path = indexed("tools", i);
        if (!t.isObject()) wrong(path, "must be an object");
        const std::string type = stringMember(t, "type");
        ToolDecl d;
        d.name = stringMember(t, "name");
        if (type.empty() || type == "function") {
            if (d.name.empty()) wrong(path + ".name", "is required");
            d.description = stringMember(t, "description");
            if (const Value* params = t.find("parameters"); params && params->isObject()) d.parameters = *params;
            if (const Value* strict = t.find("strict"); strict && strict->isBool()) d.strict = strict->asBool();
        } else {
            d.builtin = builtinKind(type);
            d.raw = t;
        }
        conv.tools.push_back(std::move(d));
    }
}

void decodeToolChoice(const Value& body, Conversation& conv) {
    ToolChoice& tc = conv.toolChoice;
    if (const Value* p = body.find("parallel_tool_calls"); p && p->isBool()) tc.parallelToolCalls = p->asBool();
    const Value* v = body.find("tool_choice");
    if (!v || v->isNull()) return;
    if (v->isString()) {
        const std::string s = v->asString();
        if (s == "auto") tc.mode = ToolChoice::Mode::Auto;
        else if (s == "none") tc.mode = ToolChoice::Mode::None;
        else if (s == "required") tc.mode = ToolChoice::Mode::Required;
        else wrong("tool_choice", "must be none, auto, required or an object");
        return;
    }
    if (!v->isObject()) wrong("tool_choice", "must be a string or an object");
    const std::string type = stringMember(*v, "type");
    if (type == "function") {
        tc.name = stringMember(*v, "name");
        if (tc.name.empty()) wrong("tool_choice.name", "is required");
        tc.mode = ToolChoice::Mode::Named;
    } else if (type == "allowed_tools") {
        tc.mode = stringMember(*v, "mode") == "required" ? ToolChoice::Mode::Required : ToolChoice::Mode::Auto;
    } else if (!type.empty()) {
        // A hosted tool forced by type: the nearest canonical meaning is "use a tool".
        tc.mode = ToolChoice::Mode::Required;
    }
}

std::optional<double> optNumber(const Value& body, const char* key) {
    const Value* v = body.find(key);
    if (!v || v->isNull()) return std::nullopt;
    if (!v->isNumber()) wrong(key, "must be a number");
    return v->asDouble();
}

void decodeScalars(const Value& body, Conversation& conv) {
    conv.temperature = optNumber(body, "temperature");
    conv.topP = optNumber(body, "top_p");
    if (auto m = optNumber(body, "max_output_tokens")) conv.maxTokens = static_cast<std::int64_t>(*m);
    conv.user = stringMember(body, "user");
    if (const Value* r = body.find("reasoning"); r && r->isObject()) {
        conv.reasoning.effort = lowerAscii(stringMember(*r, "effort"));
        conv.reasoning.summary = stringMember(*r, "summary");
        if (conv.reasoning.summary.empty()) conv.reasoning.summary = stringMember(*r, "generate_summary");
    } else if (r && !r->isNull()) {
        wrong("reasoning", "must be an object");
    }
}

void decodeTextFormat(const Value& body, Conversation& conv) {
    const Value* text = body.find("text");
    if (!text || !text->isObject()) return;
    const Value* f = text->find("format");
    if (!f || !f->isObject()) return;
    const std::string type = stringMember(*f, "type");
    ResponseFormat& rf = conv.responseFormat;
    if (type == "text") rf.kind = ResponseFormat::Kind::Text;
    else if (type == "json_object") rf.kind = ResponseFormat::Kind::JsonObject;
    else if (type == "json_schema") rf.kind = ResponseFormat::Kind::JsonSchema;
    else wrong("text.format.type", "must be text, json_object or json_schema");
    rf.name = stringMember(*f, "name");
    if (const Value* s = f->find("schema"); s && s->isObject()) rf.schema = *s;
    if (const Value* s = f->find("strict"); s && s->isBool()) rf.strict = s->asBool();
}

}  // namespace

Conversation decodeRequest(const Value& body, const std::string& model, bool stream) {
    if (!body.isObject()) throw TranslateError("the request body must be a JSON object");
    Conversation conv;
    conv.model = stringMember(body, "model");
    if (conv.model.empty()) conv.model = model;
    const Value* s = body.find("stream");
    conv.stream = s && s->isBool() ? s->asBool() : stream;
    if (const Value* ins = body.find("instructions"); ins && ins->isString()) {
        if (!ins->asString().empty()) conv.system.push_back(Part::textPart(ins->asString()));
    } else if (ins && !ins->isNull()) {
        wrong("instructions", "must be a string");
    }
    decodeInput(body, conv);
    decodeTools(body, conv);
    decodeToolChoice(body, conv);
    decodeScalars(body, conv);
    decodeTextFormat(body, conv);
    // previous_response_id is left to the executor: only a Responses upstream
    // holds the state it names.
    return conv;
}

}  // namespace cpa::proxy::translate::responses
