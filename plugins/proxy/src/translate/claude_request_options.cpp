// A client's Messages body → canonical: tools, tool_choice, thinking and
// structured-output settings (the rest is in claude_request_decode.cpp).
#include "translate/claude_internal.hpp"
#include "translate/common.hpp"

namespace cpa::proxy::translate::claude {

using cpa::sdk::Value;

namespace {

[[noreturn]] void bad(const std::string& message, const std::string& param) { throw TranslateError(message, param); }

const Value* given(const Value& v, std::string_view key) {
    const Value* m = member(v, key);
    return m && !m->isNull() ? m : nullptr;
}

/// Typed server tools (web_search_20250305, bash_20250124, …) keep their raw
/// declaration; web search and code execution get the neutral kind other
/// formats understand (ir.hpp ToolDecl::builtin).
std::string builtinKind(const std::string& type) {
    if (type.rfind("web_search_", 0) == 0) return "web_search";
    if (type.rfind("code_execution_", 0) == 0) return "code_execution";
    return type;
}

ToolDecl decodeTool(const Value& t, const std::string& path) {
    if (!t.isObject()) bad("each tool must be an object", path);
    ToolDecl d;
    d.name = stringMember(t, "name");
    const std::string type = stringMember(t, "type");
    if (!type.empty() && type != "custom") {
        d.builtin = builtinKind(type);
        d.raw = t;
        return d;
    }
    if (d.name.empty()) bad("each tool needs a name", path + ".name");
    d.description = stringMember(t, "description");
    if (const Value* schema = given(t, "input_schema")) {
        if (!schema->isObject()) bad("input_schema must be an object", path + ".input_schema");
        d.parameters = *schema;
    }
    if (const Value* strict = member(t, "strict"); strict && strict->isBool()) d.strict = strict->asBool();
    return d;
}

}  // namespace

void decodeTools(const Value& body, Conversation& c) {
    const Value* tools = given(body, "tools");
    if (!tools) return;
    if (!tools->isArray()) bad("tools must be an array", "tools");
    std::size_t i = 0;
    for (const Value& t : tools->asArray()) c.tools.push_back(decodeTool(t, "tools[" + std::to_string(i++) + "]"));
}

void decodeToolChoice(const Value& body, Conversation& c) {
    const Value* tc = given(body, "tool_choice");
    if (!tc) return;
    if (!tc->isObject()) bad("tool_choice must be an object", "tool_choice");
    const std::string type = stringMember(*tc, "type");
    ToolChoice& choice = c.toolChoice;
    if (type == "auto") choice.mode = ToolChoice::Mode::Auto;
    else if (type == "any") choice.mode = ToolChoice::Mode::Required;
    else if (type == "none") choice.mode = ToolChoice::Mode::None;
    else if (type == "tool") {
        choice.mode = ToolChoice::Mode::Named;
        choice.name = stringMember(*tc, "name");
        if (choice.name.empty()) bad("tool_choice of type \"tool\" needs a name", "tool_choice.name");
    } else {
        bad("tool_choice.type must be auto, any, none or tool", "tool_choice.type");
    }
    if (const Value* d = member(*tc, "disable_parallel_tool_use"); d && d->isBool())
        choice.parallelToolCalls = !d->asBool();
}

void decodeReasoning(const Value& body, Conversation& c) {
    std::string effort;
    if (const Value* oc = given(body, "output_config")) effort = lowerAscii(stringMember(*oc, "effort"));
    Reasoning& r = c.reasoning;
    const Value* thinking = given(body, "thinking");
    if (!thinking) {
        r.effort = effort;  // output_config.effort alone still asks for an effort level
        return;
    }
    if (!thinking->isObject()) bad("thinking must be an object", "thinking");
    const std::string type = stringMember(*thinking, "type");
    if (type == "enabled") {
        // No budget given: let the target choose (-1 = dynamic).
        r.budget = intMember(*thinking, "budget_tokens").value_or(-1);
        r.includeThoughts = true;
    } else if (type == "adaptive" || type == "auto") {
        r.effort = effort.empty() ? "auto" : effort;
        r.includeThoughts = true;
    } else if (type == "disabled") {
        r.budget = 0;
        r.includeThoughts = false;
    } else {
        bad("thinking.type must be enabled, adaptive or disabled", "thinking.type");
    }
}

/// Structured output: `output_format` (structured-outputs beta) or
/// `output_config.format`, both {type:"json_schema", schema}.
void decodeOutputFormat(const Value& body, Conversation& c) {
    const Value* format = given(body, "output_format");
    if (!format)
        if (const Value* oc = given(body, "output_config")) format = given(*oc, "format");
    if (!format || stringMember(*format, "type") != "json_schema") return;
    c.responseFormat.kind = ResponseFormat::Kind::JsonSchema;
    if (const Value* schema = member(*format, "schema"); schema && schema->isObject())
        c.responseFormat.schema = *schema;
}

}  // namespace cpa::proxy::translate::claude
