// Canonical request options → Gemini: tools, toolConfig, generationConfig
// (translation.md §2.2, §2.5, §2.8, §2.10; the spec's L1–L3 losses are mapped).
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"
#include "translate/gemini_names.hpp"
#include "translate/gemini_schema.hpp"

namespace cpa::proxy::translate::gemini {

using cpa::sdk::Value;

namespace {

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

/// The raw entry's value under `camel` / `snake` when the built-in came
/// from a Gemini client (keeps its options), else {}.
Value builtinConfig(const ToolDecl& t, std::string_view camel, std::string_view snake) {
    const Value* v = field(t.raw, camel, snake);
    return v && v->isObject() ? *v : Value::object();
}

Value encodeBuiltin(const ToolDecl& t) {
    const std::string kind = lowerAscii(t.builtin);
    if (startsWith(kind, "web_search") || kind == "google_search")
        return Value::object({{"googleSearch", builtinConfig(t, "googleSearch", "google_search")}});
    if (startsWith(kind, "code_execution") || kind == "code_interpreter")
        return Value::object({{"codeExecution", builtinConfig(t, "codeExecution", "code_execution")}});
    if (startsWith(kind, "url_context") || startsWith(kind, "web_fetch"))
        return Value::object({{"urlContext", builtinConfig(t, "urlContext", "url_context")}});
    // Another Gemini built-in from a Gemini client (fileSearch, googleMaps, …) passes as written.
    if (member(t.raw, t.builtin) && t.raw.size() == 1) return t.raw;
    throw TranslateError("the Gemini API has no equivalent of the built-in tool '" + t.builtin + "'", "tools");
}

/// Reasoning → thinkingConfig: a budget as thinkingBudget, the levels Gemini
/// names as thinkingLevel, other levels through their budget (translation.md §2.10).
Value thinkingConfig(const Reasoning& r) {
    Value tc = Value::object();
    if (r.budget) tc.set("thinkingBudget", *r.budget);
    else if (r.effort == "low" || r.effort == "medium" || r.effort == "high") tc.set("thinkingLevel", r.effort);
    else if (const auto b = levelToBudget(r.effort)) tc.set("thinkingBudget", *b);
    const bool off = r.effort == "none" || (r.budget && *r.budget == 0);
    if (r.includeThoughts) tc.set("includeThoughts", *r.includeThoughts);
    else if (tc.size() > 0) tc.set("includeThoughts", !off);  // asking for thinking means seeing it
    return tc;
}

void setResponseFormat(const ResponseFormat& rf, Value& gc) {
    if (rf.kind != ResponseFormat::Kind::JsonSchema && rf.kind != ResponseFormat::Kind::JsonObject) return;
    gc.set("responseMimeType", "application/json");
    if (rf.kind == ResponseFormat::Kind::JsonSchema && rf.schema) gc.set("responseJsonSchema", *rf.schema);
}

}  // namespace

Value encodeTools(const std::vector<ToolDecl>& tools, ToolNames& names) {
    Value out = Value::array();
    Value decls = Value::array();
    for (const ToolDecl& t : tools) {
        if (!t.builtin.empty()) continue;
        Value d = Value::object({{"name", names.sent(t.name)}});
        if (!t.description.empty()) d.set("description", t.description);
        if (t.parameters && t.parameters->isObject()) d.set("parametersJsonSchema", cleanSchema(*t.parameters));
        decls.push(std::move(d));
    }
    if (decls.size() > 0) out.push(Value::object({{"functionDeclarations", std::move(decls)}}));
    for (const ToolDecl& t : tools)
        if (!t.builtin.empty()) out.push(encodeBuiltin(t));
    return out;
}

Value encodeToolConfig(const ToolChoice& choice, ToolNames& names) {
    Value fcc = Value::object();
    switch (choice.mode) {
        case ToolChoice::Mode::Unset: return Value();
        case ToolChoice::Mode::Auto: fcc.set("mode", "AUTO"); break;
        case ToolChoice::Mode::None: fcc.set("mode", "NONE"); break;
        case ToolChoice::Mode::Required: fcc.set("mode", "ANY"); break;
        case ToolChoice::Mode::Named:
            fcc.set("mode", "ANY");
            fcc.set("allowedFunctionNames", Value(Value::Array{Value(names.sent(choice.name))}));
            break;
    }
    return Value::object({{"functionCallingConfig", std::move(fcc)}});
}

Value encodeGenerationConfig(const Conversation& conv) {
    Value gc = Value::object();
    if (conv.temperature) gc.set("temperature", *conv.temperature);
    if (conv.topP) gc.set("topP", *conv.topP);
    if (conv.topK) gc.set("topK", *conv.topK);
    if (conv.maxTokens) gc.set("maxOutputTokens", *conv.maxTokens);
    if (!conv.stop.empty()) {
        Value stop = Value::array();
        for (const std::string& s : conv.stop) stop.push(s);
        gc.set("stopSequences", std::move(stop));
    }
    if (conv.candidateCount) gc.set("candidateCount", *conv.candidateCount);
    if (conv.seed) gc.set("seed", *conv.seed);
    if (conv.presencePenalty) gc.set("presencePenalty", *conv.presencePenalty);
    if (conv.frequencyPenalty) gc.set("frequencyPenalty", *conv.frequencyPenalty);
    setResponseFormat(conv.responseFormat, gc);
    if (Value tc = thinkingConfig(conv.reasoning); tc.size() > 0) gc.set("thinkingConfig", std::move(tc));
    return gc;
}

}  // namespace cpa::proxy::translate::gemini
