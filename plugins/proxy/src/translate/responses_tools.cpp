// Tool declarations, tool choice, reasoning and text format in Responses
// shape — written for the codex upstream and echoed to Responses clients —
// and codex's tool-name shortening (docs/spec/translation.md §2.5, §2.6, §2.8).
#include "translate/common.hpp"
#include "translate/responses_internal.hpp"

#include <set>

namespace cpa::proxy::translate::responses {

using cpa::sdk::Value;

namespace {

constexpr std::size_t kNameLimit = 64;

/// Cuts to at most `n` bytes without splitting a UTF-8 sequence.
std::string cut(const std::string& s, std::size_t n) {
    if (s.size() <= n) return s;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

/// Hosted tool types the Responses API itself defines: declarations of these
/// came from a Responses client and pass through as written.
bool isResponsesToolType(const std::string& type) {
    static const std::set<std::string, std::less<>> kTypes = {
        "web_search", "web_search_preview", "web_search_preview_2025_03_11", "web_search_2025_08_26",
        "file_search", "code_interpreter", "image_generation", "mcp", "local_shell", "shell", "custom",
        "computer_use_preview", "apply_patch"};
    return kTypes.count(type) > 0;
}

/// A web search declared in another format (Claude's web_search_2025…, Gemini's
/// googleSearch) as a Responses web_search tool, keeping its domain filter and location.
Value webSearchTool(const Value& raw) {
    Value t = Value::object({{"type", "web_search"}});
    if (const Value* domains = member(raw, "allowed_domains"); domains && domains->isArray())
        t.set("filters", Value::object({{"allowed_domains", *domains}}));
    if (const Value* loc = member(raw, "user_location"); loc && loc->isObject()) t.set("user_location", *loc);
    return t;
}

Value builtinTool(const ToolDecl& d, bool upstream) {
    const std::string rawType = stringMember(d.raw, "type");
    if (isResponsesToolType(rawType)) return d.raw;
    if (d.builtin == "web_search") return webSearchTool(d.raw);
    if (d.builtin == "code_execution")
        return Value::object({{"type", "code_interpreter"}, {"container", Value::object({{"type", "auto"}})}});
    if (upstream)
        throw TranslateError("the built-in tool \"" + d.builtin + "\" has no equivalent in the Responses API", "tools");
    return Value::object({{"type", d.builtin}});
}

std::string mapped(const std::string& name, const std::map<std::string, std::string, std::less<>>* shortNames) {
    if (!shortNames) return name;
    const auto it = shortNames->find(name);
    return it == shortNames->end() ? shortenName(name) : it->second;
}

}  // namespace

std::string shortenName(const std::string& name) {
    if (name.size() <= kNameLimit) return name;
    // MCP tools are named mcp__<server>__<tool>: the tool part is what tells them apart.
    if (name.rfind("mcp__", 0) == 0) {
        const auto last = name.rfind("__");
        if (last != std::string::npos && last > 0) return cut("mcp__" + name.substr(last + 2), kNameLimit);
    }
    return cut(name, kNameLimit);
}

std::map<std::string, std::string, std::less<>> shortNameMap(const std::vector<ToolDecl>& tools) {
    std::map<std::string, std::string, std::less<>> out;
    std::set<std::string, std::less<>> used;
    for (const ToolDecl& d : tools) {
        if (!d.builtin.empty() || out.count(d.name)) continue;
        std::string candidate = shortenName(d.name);
        for (int i = 1; used.count(candidate); ++i) {
            const std::string suffix = "_" + std::to_string(i);
            candidate = cut(shortenName(d.name), kNameLimit - suffix.size()) + suffix;
        }
        used.insert(candidate);
        out[d.name] = candidate;
    }
    return out;
}

Value toolsJson(const std::vector<ToolDecl>& tools, const std::map<std::string, std::string, std::less<>>* shortNames,
                bool upstream) {
    Value out = Value::array();
    for (const ToolDecl& d : tools) {
        if (!d.builtin.empty()) {
            out.push(builtinTool(d, upstream));
            continue;
        }
        Value t = Value::object({{"type", "function"}, {"name", mapped(d.name, shortNames)}});
        if (!d.description.empty()) t.set("description", d.description);
        t.set("parameters", d.parameters ? *d.parameters
                                         : Value::object({{"type", "object"}, {"properties", Value::object()}}));
        if (d.strict) t.set("strict", *d.strict);
        out.push(std::move(t));
    }
    return out;
}

Value toolChoiceJson(const Conversation& request, const std::map<std::string, std::string, std::less<>>* shortNames) {
    const ToolChoice& tc = request.toolChoice;
    switch (tc.mode) {
        case ToolChoice::Mode::Unset: return Value();
        case ToolChoice::Mode::Auto: return Value("auto");
        case ToolChoice::Mode::None: return Value("none");
        case ToolChoice::Mode::Required: return Value("required");
        case ToolChoice::Mode::Named: break;
    }
    // A name that is a declared built-in (e.g. Claude's typed web_search tool) forces that hosted tool.
    for (const ToolDecl& d : request.tools) {
        if (d.builtin.empty() || d.name != tc.name) continue;
        Value tool = builtinTool(d, false);
        return Value::object({{"type", stringMember(tool, "type")}});
    }
    return Value::object({{"type", "function"}, {"name", mapped(tc.name, shortNames)}});
}

Value reasoningJson(const Reasoning& r, bool upstream) {
    std::string effort = r.effort;
    if (effort.empty() && r.budget) effort = budgetToLevel(*r.budget);
    if (upstream) {
        // Responses efforts: none, minimal, low, medium, high, xhigh (translation.md §2.10).
        if (effort == "auto") effort = "medium";
        if (effort == "max") effort = "xhigh";
        Value out = Value::object();
        if (!effort.empty()) out.set("effort", effort);
        out.set("summary", r.summary.empty() ? std::string("auto") : r.summary);
        return out;
    }
    if (effort.empty() && r.summary.empty()) return Value();
    return Value::object({{"effort", effort.empty() ? Value() : Value(effort)},
                          {"summary", r.summary.empty() ? Value() : Value(r.summary)}});
}

Value textJson(const ResponseFormat& f) {
    Value format;
    switch (f.kind) {
        case ResponseFormat::Kind::Unset: return Value();
        case ResponseFormat::Kind::Text: format = Value::object({{"type", "text"}}); break;
        case ResponseFormat::Kind::JsonObject: format = Value::object({{"type", "json_object"}}); break;
        case ResponseFormat::Kind::JsonSchema:
            // The API requires a name; chat and Gemini schemas may have none.
            format = Value::object({{"type", "json_schema"}, {"name", f.name.empty() ? std::string("response") : f.name}});
            format.set("schema", f.schema ? *f.schema : Value::object());
            if (f.strict) format.set("strict", *f.strict);
            break;
    }
    return Value::object({{"format", std::move(format)}});
}

std::string instructionsText(const std::vector<Part>& system) {
    std::string out;
    for (const Part& p : system) {
        if (p.kind != Part::Kind::Text || p.text.empty()) continue;
        if (!out.empty()) out += "\n\n";
        out += p.text;
    }
    return out;
}

}  // namespace cpa::proxy::translate::responses
