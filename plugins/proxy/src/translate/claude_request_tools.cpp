// Canonical → Messages body: tool names, declarations, tool_choice and the
// thinking budget (the rest is in claude_request_encode.cpp).
#include "translate/claude_internal.hpp"
#include "translate/common.hpp"

#include <algorithm>
#include <array>

namespace cpa::proxy::translate::claude {

using cpa::sdk::Value;

namespace {

constexpr std::size_t kMaxToolName = 128;

bool nameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/// A typed Claude server tool (`<kind>_<yyyymmdd>`) passes through raw.
bool isClaudeServerTool(const Value& raw) {
    static constexpr std::array<std::string_view, 9> kKinds{
        "web_search", "web_fetch", "code_execution", "bash", "text_editor", "computer", "memory",
        "tool_search_tool_regex", "tool_search_tool_bm25"};
    const std::string type = stringMember(raw, "type");
    if (type.size() < 10) return false;
    const std::string_view date = std::string_view(type).substr(type.size() - 8);
    if (type[type.size() - 9] != '_' || !std::all_of(date.begin(), date.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    const std::string_view kind = std::string_view(type).substr(0, type.size() - 9);
    return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

/// Web search declared in another format (Responses `web_search`, Gemini
/// `googleSearch`, …) → Claude's web search server tool, keeping the domain
/// filter and approximate location Responses can carry.
Value webSearchTool(const Value& raw) {
    Value tool = Value::object({{"type", "web_search_20250305"}, {"name", "web_search"}});
    if (const Value* filters = member(raw, "filters"))
        if (const Value* domains = member(*filters, "allowed_domains"); domains && domains->isArray())
            tool.set("allowed_domains", *domains);
    if (const Value* loc = member(raw, "user_location"); loc && loc->isObject()) {
        Value out = Value::object({{"type", "approximate"}});
        for (const char* key : {"city", "region", "country", "timezone"})
            if (!stringMember(*loc, key).empty()) out.set(key, stringMember(*loc, key));
        tool.set("user_location", std::move(out));
    }
    return tool;
}

Value inputSchema(const ToolDecl& t) {
    if (!t.parameters || !t.parameters->isObject())
        return Value::object({{"type", "object"}, {"properties", Value::object()}});
    Value schema = *t.parameters;
    if (!schema.contains("type")) schema.set("type", "object");  // Claude requires an object schema
    return schema;
}

}  // namespace

std::string ToolNames::sent(const std::string& original) {
    if (const auto it = byOriginal_.find(original); it != byOriginal_.end()) return it->second;
    std::string name = original.substr(0, std::min(original.size(), kMaxToolName));
    for (char& c : name)
        if (!nameChar(c)) c = '_';
    if (name != original) {
        // Two originals that sanitise alike get distinct names (_2, _3, …).
        const std::string base = name.substr(0, std::min(name.size(), kMaxToolName - 4));
        for (int n = 2; exchange_.toolNameBack.count(name) != 0; ++n) name = base + "_" + std::to_string(n);
        exchange_.toolNameBack.emplace(name, original);
    }
    byOriginal_.emplace(original, name);
    return name;
}

Value encodeTools(const std::vector<ToolDecl>& tools, ToolNames& names) {
    Value out = Value::array();
    for (const ToolDecl& t : tools) {
        if (!t.builtin.empty()) {
            if (isClaudeServerTool(t.raw)) out.push(t.raw);
            else if (t.builtin == "web_search" || t.builtin == "google_search") out.push(webSearchTool(t.raw));
            else throw TranslateError("the built-in tool \"" + t.builtin + "\" is not supported by Claude models", "tools");
            continue;
        }
        Value tool = Value::object({{"name", names.sent(t.name)}});
        if (!t.description.empty()) tool.set("description", t.description);
        tool.set("input_schema", inputSchema(t));
        out.push(std::move(tool));
    }
    return out;
}

Value encodeToolChoice(const ToolChoice& choice, ToolNames& names) {
    Value out;
    switch (choice.mode) {
        case ToolChoice::Mode::Auto: out = Value::object({{"type", "auto"}}); break;
        case ToolChoice::Mode::Required: out = Value::object({{"type", "any"}}); break;
        case ToolChoice::Mode::Named: out = Value::object({{"type", "tool"}, {"name", names.sent(choice.name)}}); break;
        case ToolChoice::Mode::None: return Value::object({{"type", "none"}});  // translation.md §5.2 L26
        case ToolChoice::Mode::Unset:
            if (choice.parallelToolCalls != false) return Value();
            out = Value::object({{"type", "auto"}});
            break;
    }
    if (choice.parallelToolCalls == false) out.set("disable_parallel_tool_use", true);
    return out;
}

std::optional<std::int64_t> thinkingBudget(const Reasoning& r) {
    constexpr std::int64_t kMin = 1024, kDynamic = 8192;  // Claude's smallest budget; "auto" stand-in
    if (r.budget) {
        if (*r.budget == 0) return 0;
        return *r.budget < 0 ? kDynamic : std::max(*r.budget, kMin);
    }
    if (!r.effort.empty()) {
        if (r.effort == "none") return 0;
        if (r.effort == "auto") return kDynamic;
        const auto b = levelToBudget(r.effort);
        if (!b) return std::nullopt;  // an unknown level: nothing to map (translation.md §2.10)
        return std::max(*b, kMin);
    }
    if (r.includeThoughts == true) return kDynamic;
    return std::nullopt;
}

}  // namespace cpa::proxy::translate::claude
