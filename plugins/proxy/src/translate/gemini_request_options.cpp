// Gemini request options (client side) → canonical: tools, toolConfig,
// generationConfig (translation.md §2.1, §2.2, §2.8, §2.10).
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"
#include "translate/gemini_schema.hpp"

namespace cpa::proxy::translate::gemini {

using cpa::sdk::Value;

namespace {

ToolDecl decodeDeclaration(const Value& decl, const std::string& path) {
    if (!decl.isObject()) throw TranslateError(path + " must be an object", path);
    ToolDecl t;
    t.name = stringMember(decl, "name");
    if (t.name.empty()) throw TranslateError(path + ".name is required", path + ".name");
    t.description = stringMember(decl, "description");
    // `parameters` is Gemini's OpenAPI subset (upper-case types); the JSON
    // Schema spelling is taken as it is.
    if (const Value* js = field(decl, "parametersJsonSchema", "parameters_json_schema"); js && js->isObject())
        t.parameters = *js;
    else if (const Value* p = member(decl, "parameters"); p && p->isObject())
        t.parameters = lowerSchemaTypes(*p);
    return t;
}

/// A non-function tool entry: its key names the built-in.
ToolDecl decodeBuiltin(const Value& entry) {
    ToolDecl t;
    t.raw = entry;
    const std::string key = entry.asObject().front().first;
    if (key == "googleSearch" || key == "google_search") t.builtin = "google_search";
    else if (key == "codeExecution" || key == "code_execution") t.builtin = "code_execution";
    else if (key == "urlContext" || key == "url_context") t.builtin = "url_context";
    else t.builtin = key;  // googleSearchRetrieval, fileSearch, …: named as the client wrote it
    return t;
}

std::vector<std::string> stringList(const Value& v) {
    std::vector<std::string> out;
    if (v.isString()) out.push_back(v.asString());
    if (v.isArray())
        for (const Value& s : v.asArray())
            if (s.isString()) out.push_back(s.asString());
    return out;
}

void decodeThinking(const Value& tc, Reasoning& r) {
    if (const Value* level = field(tc, "thinkingLevel", "thinking_level"); level && level->isString())
        r.effort = lowerAscii(level->asString());
    if (const Value* budget = field(tc, "thinkingBudget", "thinking_budget"); budget && budget->isNumber())
        r.budget = budget->isInt() ? budget->asInt() : static_cast<std::int64_t>(budget->asDouble());
    if (const Value* inc = field(tc, "includeThoughts", "include_thoughts"); inc && inc->isBool())
        r.includeThoughts = inc->asBool();
}

void decodeResponseFormat(const Value& gc, ResponseFormat& rf) {
    const std::string mime = lowerAscii(stringField(gc, "responseMimeType", "response_mime_type"));
    if (const Value* js = field(gc, "responseJsonSchema", "response_json_schema"); js && !js->isNull()) {
        rf.kind = ResponseFormat::Kind::JsonSchema;
        rf.schema = *js;
    } else if (const Value* s = field(gc, "responseSchema", "response_schema"); s && s->isObject()) {
        rf.kind = ResponseFormat::Kind::JsonSchema;
        rf.schema = lowerSchemaTypes(*s);
    } else if (mime == "application/json") {
        rf.kind = ResponseFormat::Kind::JsonObject;
    } else if (mime == "text/plain") {
        rf.kind = ResponseFormat::Kind::Text;
    }
}

}  // namespace

std::vector<ToolDecl> decodeTools(const Value& tools) {
    if (!tools.isArray()) throw TranslateError("tools must be an array", "tools");
    std::vector<ToolDecl> out;
    for (std::size_t i = 0; i < tools.size(); ++i) {
        const Value& entry = tools.asArray()[i];
        const std::string path = "tools[" + std::to_string(i) + "]";
        if (!entry.isObject()) throw TranslateError(path + " must be an object", path);
        if (const Value* decls = field(entry, "functionDeclarations", "function_declarations")) {
            if (!decls->isArray())
                throw TranslateError(path + ".functionDeclarations must be an array", path + ".functionDeclarations");
            for (std::size_t j = 0; j < decls->size(); ++j)
                out.push_back(
                    decodeDeclaration(decls->asArray()[j], path + ".functionDeclarations[" + std::to_string(j) + "]"));
        } else if (entry.size() > 0) {
            out.push_back(decodeBuiltin(entry));
        }
    }
    return out;
}

ToolChoice decodeToolConfig(const Value& toolConfig) {
    ToolChoice tc;
    const Value* fcc = field(toolConfig, "functionCallingConfig", "function_calling_config");
    if (!fcc || !fcc->isObject()) return tc;
    const std::string mode = stringMember(*fcc, "mode");
    const Value* allowed = field(*fcc, "allowedFunctionNames", "allowed_function_names");
    const std::vector<std::string> names = allowed ? stringList(*allowed) : std::vector<std::string>{};
    if (mode == "NONE") tc.mode = ToolChoice::Mode::None;
    else if (mode == "AUTO" || mode == "VALIDATED") tc.mode = ToolChoice::Mode::Auto;
    else if (mode == "ANY") tc.mode = ToolChoice::Mode::Required;
    // One allowed name forces that function; several only narrow ANY (not canonical).
    if ((mode == "ANY" || mode.empty()) && names.size() == 1) {
        tc.mode = ToolChoice::Mode::Named;
        tc.name = names.front();
    }
    return tc;
}

void decodeGenerationConfig(const Value& gc, Conversation& conv) {
    if (!gc.isObject()) throw TranslateError("generationConfig must be an object", "generationConfig");
    const auto num = [&gc](std::string_view camel, std::string_view snake) {
        return numberMember(gc, camel) ? numberMember(gc, camel) : numberMember(gc, snake);
    };
    const auto integer = [&gc](std::string_view camel, std::string_view snake) {
        return intMember(gc, camel) ? intMember(gc, camel) : intMember(gc, snake);
    };
    conv.temperature = numberMember(gc, "temperature");
    conv.topP = num("topP", "top_p");
    conv.topK = integer("topK", "top_k");
    conv.maxTokens = integer("maxOutputTokens", "max_output_tokens");
    conv.candidateCount = integer("candidateCount", "candidate_count");
    conv.seed = intMember(gc, "seed");
    conv.presencePenalty = num("presencePenalty", "presence_penalty");
    conv.frequencyPenalty = num("frequencyPenalty", "frequency_penalty");
    if (const Value* stop = field(gc, "stopSequences", "stop_sequences")) conv.stop = stringList(*stop);
    if (const Value* tc = field(gc, "thinkingConfig", "thinking_config"); tc && tc->isObject())
        decodeThinking(*tc, conv.reasoning);
    decodeResponseFormat(gc, conv.responseFormat);
}

}  // namespace cpa::proxy::translate::gemini
