// Tools, tool_choice and the scalar options of a chat body, both directions
// (docs/spec/translation.md §2.1, §2.2, §2.5, §2.8, §2.10).
#include "translate/chat_internal.hpp"
#include "translate/common.hpp"

namespace cpa::proxy::translate::chat {

namespace {

using cpa::sdk::Value;

std::optional<double> number(const Value& body, std::string_view key) {
    const Value* v = member(body, key);
    if (!v || v->isNull()) return std::nullopt;
    if (!v->isNumber()) throw TranslateError(std::string(key) + " must be a number", std::string(key));
    return v->asDouble();
}

std::optional<std::int64_t> integer(const Value& body, std::string_view key) {
    const Value* v = member(body, key);
    if (!v || v->isNull()) return std::nullopt;
    if (!v->isNumber()) throw TranslateError(std::string(key) + " must be an integer", std::string(key));
    return v->isInt() ? v->asInt() : static_cast<std::int64_t>(v->asDouble());
}

ToolDecl decodeTool(const Value& tool, const std::string& path) {
    if (!tool.isObject()) throw TranslateError(path + " must be an object", path);
    const std::string type = stringMember(tool, "type");
    const Value* fn = member(tool, "function");
    ToolDecl d;
    if (type == "function" || (type.empty() && fn)) {
        if (!fn || !fn->isObject()) throw TranslateError(path + ".function must be an object", path + ".function");
        d.name = stringMember(*fn, "name");
        if (d.name.empty()) throw TranslateError(path + ".function.name is required", path + ".function.name");
        d.description = stringMember(*fn, "description");
        if (const Value* params = member(*fn, "parameters"); params && !params->isNull()) d.parameters = *params;
        if (const Value* strict = member(*fn, "strict"); strict && strict->isBool()) d.strict = strict->asBool();
        return d;
    }
    if (type.empty()) throw TranslateError(path + ".type is required", path + ".type");
    d.builtin = type;  // e.g. "custom": a target without it refuses the request
    d.raw = tool;
    return d;
}

ToolChoice::Mode choiceMode(const std::string& s) {
    if (s == "auto") return ToolChoice::Mode::Auto;
    if (s == "none") return ToolChoice::Mode::None;
    if (s == "required") return ToolChoice::Mode::Required;
    throw TranslateError("tool_choice must be \"none\", \"auto\", \"required\" or a function", "tool_choice");
}

void decodeToolChoice(const Value& body, ToolChoice& tc) {
    const Value* v = member(body, "tool_choice");
    if (v && v->isString()) tc.mode = choiceMode(v->asString());
    else if (v && v->isObject()) {
        // {"type":"function","function":{"name"}}; the Responses-style flat "name" is accepted too.
        const Value* fn = member(*v, "function");
        std::string name = fn ? stringMember(*fn, "name") : stringMember(*v, "name");
        if (stringMember(*v, "type") != "function" || name.empty())
            throw TranslateError("tool_choice object must name a function", "tool_choice");
        tc.mode = ToolChoice::Mode::Named;
        tc.name = std::move(name);
    } else if (v && !v->isNull()) {
        throw TranslateError("tool_choice must be a string or an object", "tool_choice");
    }
    if (const Value* p = member(body, "parallel_tool_calls"); p && p->isBool()) tc.parallelToolCalls = p->asBool();
}

std::vector<std::string> decodeStop(const Value& body) {
    std::vector<std::string> out;
    const Value* v = member(body, "stop");
    if (!v || v->isNull()) return out;
    if (v->isString()) out.push_back(v->asString());
    else if (v->isArray()) {
        for (const Value& s : v->asArray()) {
            if (!s.isString()) throw TranslateError("stop must be a string or an array of strings", "stop");
            out.push_back(s.asString());
        }
    } else {
        throw TranslateError("stop must be a string or an array of strings", "stop");
    }
    return out;
}

ResponseFormat decodeResponseFormat(const Value& body) {
    ResponseFormat rf;
    const Value* v = member(body, "response_format");
    if (!v || v->isNull()) return rf;
    if (!v->isObject()) throw TranslateError("response_format must be an object", "response_format");
    const std::string type = stringMember(*v, "type");
    if (type == "text") rf.kind = ResponseFormat::Kind::Text;
    else if (type == "json_object") rf.kind = ResponseFormat::Kind::JsonObject;
    else if (type == "json_schema") {
        rf.kind = ResponseFormat::Kind::JsonSchema;
        const Value* js = member(*v, "json_schema");
        if (!js || !js->isObject())
            throw TranslateError("response_format.json_schema must be an object", "response_format.json_schema");
        rf.name = stringMember(*js, "name");
        if (const Value* s = member(*js, "schema"); s && !s->isNull()) rf.schema = *s;
        if (const Value* s = member(*js, "strict"); s && s->isBool()) rf.strict = s->asBool();
    } else {
        throw TranslateError("unsupported response_format type \"" + type + "\"", "response_format.type");
    }
    return rf;
}

}  // namespace

void decodeTools(const Value& body, Conversation& c) {
    if (const Value* tools = member(body, "tools"); tools && !tools->isNull()) {
        if (!tools->isArray()) throw TranslateError("tools must be an array", "tools");
        for (std::size_t i = 0; i < tools->size(); ++i)
            c.tools.push_back(decodeTool(tools->asArray()[i], "tools[" + std::to_string(i) + "]"));
    }
    // Chat's web search is a request option, not a tool; canonically it is the built-in.
    if (const Value* ws = member(body, "web_search_options"); ws && ws->isObject()) {
        ToolDecl d;
        d.builtin = "web_search";
        d.raw = *ws;
        c.tools.push_back(std::move(d));
    }
    decodeToolChoice(body, c.toolChoice);
}

void decodeOptions(const Value& body, Conversation& c) {
    c.temperature = number(body, "temperature");
    c.topP = number(body, "top_p");
    c.topK = integer(body, "top_k");  // non-standard, some compatible servers take it
    c.maxTokens = integer(body, "max_completion_tokens");
    if (!c.maxTokens) c.maxTokens = integer(body, "max_tokens");
    c.candidateCount = integer(body, "n");
    c.seed = integer(body, "seed");
    c.presencePenalty = number(body, "presence_penalty");
    c.frequencyPenalty = number(body, "frequency_penalty");
    c.stop = decodeStop(body);
    const std::string effort = lowerAscii(stringMember(body, "reasoning_effort"));
    const auto first = effort.find_first_not_of(" \t");
    if (first != std::string::npos) c.reasoning.effort = effort.substr(first, effort.find_last_not_of(" \t") - first + 1);
    c.responseFormat = decodeResponseFormat(body);
    c.user = stringMember(body, "user");
}

// ---- encode -------------------------------------------------------------

namespace {

Value encodeFunctionTool(const ToolDecl& t) {
    Value fn = Value::object({{"name", t.name}});
    if (!t.description.empty()) fn.set("description", t.description);
    if (t.parameters) fn.set("parameters", *t.parameters);
    if (t.strict) fn.set("strict", *t.strict);
    return Value::object({{"type", "function"}, {"function", std::move(fn)}});
}

/// Web search has a chat equivalent (`web_search_options`); other built-ins do not.
Value webSearchOptions(const ToolDecl& t) {
    Value opts = Value::object();
    if (const Value* size = member(t.raw, "search_context_size"); size && size->isString())
        opts.set("search_context_size", *size);
    return opts;
}

Value encodeToolChoice(const ToolChoice& tc) {
    switch (tc.mode) {
        case ToolChoice::Mode::Auto: return "auto";
        case ToolChoice::Mode::None: return "none";
        case ToolChoice::Mode::Required: return "required";
        case ToolChoice::Mode::Named:
            return Value::object({{"type", "function"}, {"function", Value::object({{"name", tc.name}})}});
        default: return Value();
    }
}

Value encodeResponseFormat(const ResponseFormat& rf) {
    switch (rf.kind) {
        case ResponseFormat::Kind::Text: return Value::object({{"type", "text"}});
        case ResponseFormat::Kind::JsonObject: return Value::object({{"type", "json_object"}});
        case ResponseFormat::Kind::JsonSchema: {
            // OpenAI requires a name; "response" when the source had none (Gemini).
            Value js = Value::object({{"name", rf.name.empty() ? std::string("response") : rf.name}});
            if (rf.strict) js.set("strict", *rf.strict);
            if (rf.schema) js.set("schema", *rf.schema);
            return Value::object({{"type", "json_schema"}, {"json_schema", std::move(js)}});
        }
        default: return Value();
    }
}

}  // namespace

void encodeTools(const Conversation& c, Value& out) {
    Value tools = Value::array();
    for (const ToolDecl& t : c.tools) {
        if (t.builtin.empty()) tools.push(encodeFunctionTool(t));
        else if (t.builtin == "web_search" || t.builtin == "google_search") out.set("web_search_options", webSearchOptions(t));
        else throw TranslateError("OpenAI chat upstreams have no built-in tool \"" + t.builtin + "\"", "tools");
    }
    if (tools.size() == 0) return;  // tool_choice / parallel_tool_calls are refused without tools
    out.set("tools", std::move(tools));
    if (Value choice = encodeToolChoice(c.toolChoice); !choice.isNull()) out.set("tool_choice", std::move(choice));
    if (c.toolChoice.parallelToolCalls) out.set("parallel_tool_calls", *c.toolChoice.parallelToolCalls);
}

void encodeOptions(const Conversation& c, Value& out) {
    if (c.temperature) out.set("temperature", *c.temperature);
    if (c.topP) out.set("top_p", *c.topP);
    if (c.topK) out.set("top_k", *c.topK);
    if (c.maxTokens) out.set("max_tokens", *c.maxTokens);
    if (c.stop.size() == 1) out.set("stop", c.stop.front());
    else if (!c.stop.empty()) {
        Value stop = Value::array();
        for (const std::string& s : c.stop) stop.push(s);
        out.set("stop", std::move(stop));
    }
    if (c.candidateCount) out.set("n", *c.candidateCount);
    if (c.seed) out.set("seed", *c.seed);
    if (c.presencePenalty) out.set("presence_penalty", *c.presencePenalty);
    if (c.frequencyPenalty) out.set("frequency_penalty", *c.frequencyPenalty);
    // translation.md §2.10: an effort level as given, else the budget's level.
    std::string effort = c.reasoning.effort;
    if (effort.empty() && c.reasoning.budget) effort = budgetToLevel(*c.reasoning.budget);
    if (!effort.empty()) out.set("reasoning_effort", effort);
    if (Value rf = encodeResponseFormat(c.responseFormat); !rf.isNull()) out.set("response_format", std::move(rf));
    if (!c.user.empty()) out.set("user", c.user);
}

}  // namespace cpa::proxy::translate::chat
