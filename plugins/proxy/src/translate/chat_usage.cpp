// Usage and finish reasons in chat shape (docs/spec/translation.md §2.11, §2.12).
#include "translate/chat_internal.hpp"
#include "translate/common.hpp"

namespace cpa::proxy::translate::chat {

using cpa::sdk::Value;

Value encodeUsage(const Usage& u) {
    return Value::object({{"prompt_tokens", u.input},
                          {"completion_tokens", u.output},
                          {"total_tokens", u.total()},
                          {"prompt_tokens_details", Value::object({{"cached_tokens", u.cachedInput}})},
                          {"completion_tokens_details", Value::object({{"reasoning_tokens", u.reasoning}})}});
}

namespace {

std::int64_t detail(const Value& usage, std::string_view object, std::string_view key) {
    const Value* d = member(usage, object);
    return d ? intMember(*d, key).value_or(0) : 0;
}

}  // namespace

Usage decodeUsage(const Value& v) {
    Usage u;
    if (!v.isObject()) return u;
    u.present = true;
    // Responses-style names are accepted too (some compatible servers mix them).
    u.input = intMember(v, "prompt_tokens").value_or(intMember(v, "input_tokens").value_or(0));
    u.output = intMember(v, "completion_tokens").value_or(intMember(v, "output_tokens").value_or(0));
    u.cachedInput = detail(v, "prompt_tokens_details", "cached_tokens");
    if (!u.cachedInput) u.cachedInput = detail(v, "input_tokens_details", "cached_tokens");
    if (!u.cachedInput) u.cachedInput = intMember(v, "prompt_cache_hit_tokens").value_or(0);  // DeepSeek
    u.reasoning = detail(v, "completion_tokens_details", "reasoning_tokens");
    if (!u.reasoning) u.reasoning = detail(v, "output_tokens_details", "reasoning_tokens");
    // A server that counts reasoning outside completion_tokens shows it in the
    // total; canonical output includes reasoning.
    if (const auto total = intMember(v, "total_tokens");
        total && u.reasoning > 0 && *total == u.input + u.output + u.reasoning)
        u.output += u.reasoning;
    return u;
}

std::string finishReasonName(FinishReason reason, bool sawToolCall) {
    switch (reason) {
        case FinishReason::Length: return "length";
        case FinishReason::ToolCalls: return "tool_calls";
        case FinishReason::ContentFilter:
        case FinishReason::Refusal: return "content_filter";
        default: return sawToolCall ? "tool_calls" : "stop";
    }
}

FinishReason parseFinishReason(std::string_view r) {
    if (r.empty()) return FinishReason::Unset;
    if (r == "length" || r == "max_tokens") return FinishReason::Length;
    if (r == "tool_calls" || r == "function_call") return FinishReason::ToolCalls;
    if (r == "content_filter") return FinishReason::ContentFilter;
    return FinishReason::Stop;  // "stop" and the odd server's own words ("eos", "end_turn")
}

}  // namespace cpa::proxy::translate::chat
