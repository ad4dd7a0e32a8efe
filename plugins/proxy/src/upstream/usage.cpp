#include "upstream/usage.hpp"

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

}  // namespace

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
