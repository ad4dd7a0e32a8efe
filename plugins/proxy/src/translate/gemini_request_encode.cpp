// Canonical Conversation → Gemini generateContent body (gemini / vertex
// upstreams). The model travels in the URL, so no `model` key is written.
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"
#include "translate/gemini_names.hpp"

#include <cpa/sdk/json.hpp>

#include <map>

namespace cpa::proxy::translate::gemini {

using cpa::sdk::Value;

namespace {

Value inlineData(std::string_view mime, std::string_view data) {
    return Value::object({{"inlineData", Value::object({{"mimeType", mime}, {"data", data}})}});
}

/// Image / File / Audio → inlineData, or fileData for a remote URI.
Value mediaPart(const Part& p) {
    std::string_view fallback = p.kind == Part::Kind::Image   ? "image/jpeg"
                                : p.kind == Part::Kind::Audio ? "audio/wav"
                                                              : "application/octet-stream";
    if (!p.data.empty()) return inlineData(p.mimeType.empty() ? fallback : p.mimeType, p.data);
    if (const auto d = parseDataUrl(p.url)) return inlineData(d->mimeType, d->data);
    if (p.url.empty()) throw TranslateError("a media part has neither data nor a URL");
    std::string mime = p.mimeType.empty() ? mimeFromExtension(p.url) : p.mimeType;
    if (mime.empty()) mime = fallback;
    return Value::object({{"fileData", Value::object({{"mimeType", mime}, {"fileUri", p.url}})}});
}

/// A tool result's text as the response object Gemini wants: the text
/// itself when it is a JSON object, else wrapped under "result" (or
/// "error", Gemini's documented key for a failed call).
Value responseObject(const Part& result) {
    std::string text;
    for (const Part& c : result.content)
        if (c.kind == Part::Kind::Text) text += c.text;
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
        try {
            Value parsed = cpa::sdk::parseJson(text);
            if (parsed.isObject()) return parsed;
        } catch (const std::exception&) {
        }
    }
    return Value::object({{result.isError ? "error" : "result", text}});
}

class RequestEncoder {
public:
    RequestEncoder(const Conversation& conv, Exchange& exchange) : conv_(conv), names_(exchange) {}
    Value run(const EncodeOptions& options);

private:
    Value contents();
    Value userParts(const Message& m);
    Value modelParts(const Message& m);
    Value plainPart(const Part& p, std::string_view where);
    Value systemInstruction();

    const Conversation& conv_;
    ToolNames names_;
    std::map<std::string, std::string> callNames_;  // callId → name, for results without one
};

Value RequestEncoder::run(const EncodeOptions& options) {
    for (const Message& m : conv_.messages)
        for (const Part& p : m.parts)
            if (p.kind == Part::Kind::ToolCall) callNames_.emplace(p.callId, p.name);
    Value body = Value::object({{"contents", contents()}});
    // Gemini wants at least one content: instructions alone become the prompt.
    const bool systemAsPrompt = body["contents"].size() == 0 && !conv_.system.empty();
    if (systemAsPrompt) {
        Value sys = systemInstruction();
        sys.set("role", "user");
        body["contents"].push(std::move(sys));
    } else if (!conv_.system.empty()) {
        body.set("systemInstruction", systemInstruction());
    }
    if (Value t = encodeTools(conv_.tools, names_); t.size() > 0) body.set("tools", std::move(t));
    if (options.countTokens) return body;
    if (Value tc = encodeToolConfig(conv_.toolChoice, names_); tc.isObject()) body.set("toolConfig", std::move(tc));
    if (Value gc = encodeGenerationConfig(conv_); gc.size() > 0) body.set("generationConfig", std::move(gc));
    Value safety = Value::array();  // translation.md §2.9: the defaults, since canonical requests carry none
    for (const auto& [category, threshold] :
         {std::pair{"HARM_CATEGORY_HARASSMENT", "OFF"}, std::pair{"HARM_CATEGORY_HATE_SPEECH", "OFF"},
          std::pair{"HARM_CATEGORY_SEXUALLY_EXPLICIT", "OFF"}, std::pair{"HARM_CATEGORY_DANGEROUS_CONTENT", "OFF"},
          std::pair{"HARM_CATEGORY_CIVIC_INTEGRITY", "BLOCK_NONE"}})
        safety.push(Value::object({{"category", category}, {"threshold", threshold}}));
    body.set("safetySettings", std::move(safety));
    return body;
}

Value RequestEncoder::contents() {
    Value out = Value::array();
    for (const Message& m : conv_.messages) {
        const bool user = m.role == Role::User;
        Value parts = user ? userParts(m) : modelParts(m);
        if (parts.size() == 0) continue;  // e.g. an assistant turn of reasoning only
        out.push(Value::object({{"role", user ? "user" : "model"}, {"parts", std::move(parts)}}));
    }
    return out;
}

/// Tool results first (functionResponse, then any images they carry), then the user's own content.
Value RequestEncoder::userParts(const Message& m) {
    Value parts = Value::array();
    for (const Part& p : m.parts) {
        if (p.kind != Part::Kind::ToolResult) continue;
        std::string name = p.name;
        if (name.empty()) name = callNames_.count(p.callId) ? callNames_[p.callId] : std::string("unknown");
        Value fr = Value::object({{"name", names_.sent(name)}, {"response", responseObject(p)}});
        parts.push(Value::object({{"functionResponse", std::move(fr)}}));
        for (const Part& c : p.content)
            if (c.kind != Part::Kind::Text) parts.push(plainPart(c, "a tool result"));
    }
    for (const Part& p : m.parts)
        if (p.kind != Part::Kind::ToolResult) parts.push(plainPart(p, "a user turn"));
    return parts;
}

Value RequestEncoder::modelParts(const Message& m) {
    Value parts = Value::array();
    for (const Part& p : m.parts) {
        // Past reasoning is left out: the model does not need it, and its
        // signature may come from another provider (conventions).
        if (p.kind == Part::Kind::Thinking) continue;
        if (p.kind != Part::Kind::ToolCall) {
            parts.push(plainPart(p, "a model turn"));
            continue;
        }
        Value call = Value::object({{"name", names_.sent(p.name)}, {"args", argumentsObject(p.arguments)}});
        // A call without Gemini's own signature gets the sentinel (translation.md §2.9).
        const std::string_view sig = p.signature.empty() ? kSkipSignature : std::string_view(p.signature);
        parts.push(Value::object({{"functionCall", std::move(call)}, {"thoughtSignature", sig}}));
    }
    return parts;
}

Value RequestEncoder::plainPart(const Part& p, std::string_view where) {
    switch (p.kind) {
        case Part::Kind::Text: return Value::object({{"text", p.text}});
        case Part::Kind::Image:
        case Part::Kind::File:
        case Part::Kind::Audio: return mediaPart(p);
        default:
            throw TranslateError("Gemini cannot take this kind of content in " + std::string(where), "messages");
    }
}

Value RequestEncoder::systemInstruction() {
    Value parts = Value::array();
    for (const Part& p : conv_.system) parts.push(plainPart(p, "the system instruction"));
    return Value::object({{"parts", std::move(parts)}});
}

}  // namespace

Value encodeRequest(const Conversation& request, const EncodeOptions& options, Exchange& exchange) {
    return RequestEncoder(request, exchange).run(options);
}

}  // namespace cpa::proxy::translate::gemini
