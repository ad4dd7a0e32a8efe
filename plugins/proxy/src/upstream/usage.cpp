#include "upstream/usage.hpp"

#include "json/json_scan.hpp"

#include <charconv>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

std::int64_t num(const Value& obj, std::string_view key) {
    const Value* v = obj.find(key);
    if (!v) return 0;
    if (v->isInt()) return v->asInt();
    if (v->isDouble()) return static_cast<std::int64_t>(v->asDouble());
    return 0;
}

std::int64_t nested(const Value& obj, std::string_view outer, std::string_view inner) {
    const Value* o = obj.find(outer);
    return o && o->isObject() ? num(*o, inner) : 0;
}

bool has(const Value& obj, std::string_view key) { return obj.find(key) != nullptr; }

void finish(TokenUsage& u) {
    u.present = true;
    if (u.total == 0) u.total = u.input + u.output + u.reasoning;
}

/// num() over raw bytes: 0 for a non-number, nullopt for a number the
/// parser would read as a double (the caller then takes the parser).
std::optional<std::int64_t> rawNum(std::string_view raw) {
    if (raw.empty() || (raw.front() != '-' && (raw.front() < '0' || raw.front() > '9'))) return 0;
    std::int64_t i = 0;
    const auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), i);
    if (ec == std::errc() && ptr == raw.data() + raw.size()) return i;
    return std::nullopt;
}

std::string_view rawOf(std::string_view text, const JsonMember& m) {
    return text.substr(m.valueBegin, m.valueEnd - m.valueBegin);
}

}  // namespace

std::optional<TokenUsage> usageFromOpenAIJson(std::string_view usage) {
    enum { Prompt, Input, Completion, Output, Total, PromptDetails, InputDetails, CompletionDetails, OutputDetails, N };
    static constexpr std::string_view kKeys[N] = {"prompt_tokens",         "input_tokens",         "completion_tokens",
                                                  "output_tokens",         "total_tokens",         "prompt_tokens_details",
                                                  "input_tokens_details",  "completion_tokens_details",
                                                  "output_tokens_details"};
    if (usage.find('\\') != std::string_view::npos) return std::nullopt;  // an escaped key may be one of ours
    JsonMember m[N];
    if (!scanJsonObject(usage, kKeys, m, N)) return std::nullopt;
    for (const JsonMember& x : m)
        if (x.count > 1) return std::nullopt;
    const auto num = [&](int i) -> std::optional<std::int64_t> {
        return m[i].found() ? rawNum(rawOf(usage, m[i])) : std::optional<std::int64_t>(0);
    };
    const auto nestedNum = [&](int i, std::string_view inner) -> std::optional<std::int64_t> {
        const std::string_view o = m[i].found() ? rawOf(usage, m[i]) : std::string_view();
        if (o.empty() || o.front() != '{') return 0;
        JsonMember n;
        if (!scanJsonObject(o, &inner, &n, 1) || n.count > 1) return std::nullopt;
        return n.found() ? rawNum(rawOf(o, n)) : std::optional<std::int64_t>(0);
    };
    const auto input = m[Prompt].found() ? num(Prompt) : num(Input);
    const auto output = m[Completion].found() ? num(Completion) : num(Output);
    const auto total = num(Total);
    const auto cached = m[PromptDetails].found() ? nestedNum(PromptDetails, "cached_tokens")
                                                 : nestedNum(InputDetails, "cached_tokens");
    const auto reasoning = m[CompletionDetails].found() ? nestedNum(CompletionDetails, "reasoning_tokens")
                                                        : nestedNum(OutputDetails, "reasoning_tokens");
    if (!input || !output || !total || !cached || !reasoning) return std::nullopt;
    TokenUsage u;
    u.input = *input;
    u.output = *output;
    u.total = *total;
    u.cached = *cached;
    u.reasoning = *reasoning;
    finish(u);
    return u;
}

const Value* findUsageObject(const Value& doc, const char* key) {
    const Value* u = doc.find(key);
    return u && u->isObject() ? u : nullptr;
}

TokenUsage usageFromOpenAI(const Value& usage) {
    TokenUsage u;
    if (!usage.isObject()) return u;
    u.input = has(usage, "prompt_tokens") ? num(usage, "prompt_tokens") : num(usage, "input_tokens");
    u.output = has(usage, "completion_tokens") ? num(usage, "completion_tokens") : num(usage, "output_tokens");
    u.total = num(usage, "total_tokens");
    u.cached = usage.find("prompt_tokens_details") ? nested(usage, "prompt_tokens_details", "cached_tokens")
                                                   : nested(usage, "input_tokens_details", "cached_tokens");
    u.reasoning = usage.find("completion_tokens_details")
                      ? nested(usage, "completion_tokens_details", "reasoning_tokens")
                      : nested(usage, "output_tokens_details", "reasoning_tokens");
    finish(u);
    return u;
}

TokenUsage usageFromClaude(const Value& usage) {
    TokenUsage u;
    if (!usage.isObject()) return u;
    u.input = num(usage, "input_tokens");
    u.output = num(usage, "output_tokens");
    u.cached = num(usage, "cache_read_input_tokens");
    if (u.cached == 0) u.cached = num(usage, "cache_creation_input_tokens");
    u.total = u.input + u.output;
    finish(u);
    return u;
}

TokenUsage usageFromGemini(const Value& meta) {
    TokenUsage u;
    if (!meta.isObject()) return u;
    u.input = num(meta, "promptTokenCount");
    u.output = num(meta, "candidatesTokenCount");
    u.reasoning = num(meta, "thoughtsTokenCount");
    u.total = num(meta, "totalTokenCount");
    u.cached = num(meta, "cachedContentTokenCount");
    finish(u);
    return u;
}

TokenUsage usageFromResponses(const Value& usage) {
    TokenUsage u;
    if (!usage.isObject()) return u;
    u.input = num(usage, "input_tokens");
    u.output = num(usage, "output_tokens");
    u.total = num(usage, "total_tokens");
    u.cached = nested(usage, "input_tokens_details", "cached_tokens");
    u.reasoning = nested(usage, "output_tokens_details", "reasoning_tokens");
    finish(u);
    return u;
}

}  // namespace cpa::proxy::upstream
