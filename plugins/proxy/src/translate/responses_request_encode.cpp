// Canonical conversation → a standard Responses request body for the codex
// provider (docs/spec/translation.md §3.11, §3.14, §3.15 describe the
// original's per-source versions; this is their common core). Codex-only
// edits (store, include, instructions default, image tool) are applied
// afterwards by upstream/build_codex.cpp.
#include "translate/common.hpp"
#include "translate/responses_internal.hpp"

namespace cpa::proxy::translate::responses {

using cpa::sdk::Value;

namespace {

bool isBase64UrlChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/// OpenAI's encrypted reasoning is a Fernet token: "gAAAA…" (version byte
/// 0x80), 57 bytes of framing around a ciphertext of whole 16-byte blocks
/// (translation.md §3.14 thinking row). Other providers' signatures must not be sent.
bool isOpenAIReasoningSignature(const std::string& sig) {
    if (sig.rfind("gAAAA", 0) != 0) return false;
    std::size_t chars = sig.size();
    while (chars > 0 && sig[chars - 1] == '=') --chars;
    for (std::size_t i = 0; i < chars; ++i)
        if (!isBase64UrlChar(sig[i])) return false;
    const std::size_t bytes = chars * 6 / 8;
    return bytes >= 73 && (bytes - 57) % 16 == 0;
}

Value inputText(const std::string& type, const std::string& text) {
    return Value::object({{"type", type}, {"text", text}});
}

/// A user-side content part (message content or a tool output part).
Value userPart(const Part& p) {
    switch (p.kind) {
        case Part::Kind::Text: return inputText("input_text", p.text);
        case Part::Kind::Image:
            return Value::object(
                {{"type", "input_image"}, {"image_url", p.url.empty() ? makeDataUrl(p.mimeType, p.data) : p.url}});
        case Part::Kind::File: {
            Value f = Value::object({{"type", "input_file"}});
            if (!p.url.empty()) f.set("file_url", p.url);
            else f.set("file_data", makeDataUrl(p.mimeType, p.data));
            if (!p.filename.empty()) f.set("filename", p.filename);
            return f;
        }
        case Part::Kind::Audio:
            throw TranslateError("audio input is not supported by the Responses API (codex)", "messages");
        default: return Value();
    }
}

Value functionCallOutput(const Part& p) {
    bool allText = true;
    std::string text;
    for (const Part& c : p.content) {
        if (c.kind != Part::Kind::Text) allText = false;
        else text += (text.empty() ? "" : "\n") + c.text;
    }
    Value output;
    if (allText) {
        output = Value(text);
    } else {
        output = Value::array();
        for (const Part& c : p.content)
            if (Value v = userPart(c); !v.isNull()) output.push(std::move(v));
    }
    return Value::object({{"type", "function_call_output"}, {"call_id", p.callId}, {"output", std::move(output)}});
}

/// Writes `input`: message items gather consecutive content of one turn;
/// calls, outputs and reasoning are items of their own, in turn order.
struct InputEncoder {
    const std::map<std::string, std::string, std::less<>>& shortNames;
    Exchange& exchange;
    Value input = Value::array();
    Value current;  // the open message item

    void flush() {
        if (!current.isNull() && current.find("content")->size() > 0) input.push(std::move(current));
        current = Value();
    }
    void add(const char* role, Value part) {
        if (current.isNull())
            current = Value::object({{"type", "message"}, {"role", role}, {"content", Value::array()}});
        current.find("content")->push(std::move(part));
    }
    std::string upstreamName(const std::string& name) {
        if (auto it = shortNames.find(name); it != shortNames.end()) return it->second;
        std::string s = shortenName(name);
        if (s != name) exchange.toolNameBack.emplace(s, name);
        return s;
    }

    void user(const Message& m) {
        // Tool results first, then the user's own words (the tool role's order).
        for (const Part& p : m.parts)
            if (p.kind == Part::Kind::ToolResult) input.push(functionCallOutput(p));
        for (const Part& p : m.parts) {
            if (p.kind == Part::Kind::ToolResult) continue;
            if (Value v = userPart(p); !v.isNull()) add("user", std::move(v));
        }
        flush();
    }

    void assistant(const Message& m) {
        for (const Part& p : m.parts) {
            if (p.kind == Part::Kind::Text) {
                add("assistant", inputText("output_text", p.text));
            } else if (p.kind == Part::Kind::ToolCall) {
                flush();
                input.push(Value::object({{"type", "function_call"},
                                          {"call_id", p.callId},
                                          {"name", upstreamName(p.name)},
                                          {"arguments", p.arguments.empty() ? std::string("{}") : p.arguments}}));
            } else if (p.kind == Part::Kind::Thinking && isOpenAIReasoningSignature(p.signature)) {
                flush();
                input.push(reasoningItemForInput(p));
            }
            // Reasoning text without an OpenAI signature and generated images
            // have no Responses input form; the model does not need them.
        }
        flush();
    }

    static Value reasoningItemForInput(const Part& p) {
        Value summary = Value::array();
        if (!p.text.empty()) summary.push(summaryTextPart(p.text));
        return Value::object(
            {{"type", "reasoning"}, {"summary", std::move(summary)}, {"encrypted_content", p.signature}});
    }
};

/// System images (Gemini allows them) cannot go in `instructions`: they
/// lead the input as a developer message.
void systemImages(const Conversation& req, Value& input) {
    Value content = Value::array();
    for (const Part& p : req.system)
        if (p.kind == Part::Kind::Image) content.push(userPart(p));
    if (content.size() == 0) return;
    input.asArray().insert(input.asArray().begin(), Value::object({{"type", "message"},
                                                                    {"role", "developer"},
                                                                    {"content", std::move(content)}}));
}

}  // namespace

Value encodeRequest(const Conversation& req, const EncodeOptions& options, Exchange& exchange) {
    const auto shortNames = shortNameMap(req.tools);
    for (const auto& [original, sent] : shortNames)
        if (original != sent) exchange.toolNameBack[sent] = original;

    Value body = Value::object();
    body.set("model", options.upstreamModel.empty() ? req.model : options.upstreamModel);
    if (std::string ins = instructionsText(req.system); !ins.empty()) body.set("instructions", std::move(ins));
    InputEncoder enc{shortNames, exchange, Value::array(), Value()};
    for (const Message& m : req.messages) {
        if (m.role == Role::User) enc.user(m);
        else enc.assistant(m);
    }
    systemImages(req, enc.input);
    body.set("input", std::move(enc.input));
    if (!req.tools.empty()) {
        body.set("tools", toolsJson(req.tools, &shortNames, true));
        if (Value tc = toolChoiceJson(req, &shortNames); !tc.isNull()) body.set("tool_choice", std::move(tc));
    }
    if (req.toolChoice.parallelToolCalls) body.set("parallel_tool_calls", *req.toolChoice.parallelToolCalls);
    body.set("reasoning", reasoningJson(req.reasoning, true));
    if (Value text = textJson(req.responseFormat); !text.isNull()) body.set("text", std::move(text));
    // Sampling fields are written as the client gave them; build_codex.cpp removes
    // the ones the ChatGPT backend rejects. Responses has no stop sequences,
    // top_k, seed, penalties or candidate count: those are not written.
    if (req.maxTokens) body.set("max_output_tokens", *req.maxTokens);
    if (req.temperature) body.set("temperature", *req.temperature);
    if (req.topP) body.set("top_p", *req.topP);
    body.set("stream", options.stream);
    return body;
}

}  // namespace cpa::proxy::translate::responses
