// Mappings every Gemini piece shares: field spellings, finish reasons, usage.
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"

namespace cpa::proxy::translate::gemini {

using cpa::sdk::Value;

const Value* field(const Value& v, std::string_view camel, std::string_view snake) {
    if (const Value* m = member(v, camel)) return m;
    return member(v, snake);
}

std::string stringField(const Value& v, std::string_view camel, std::string_view snake) {
    const Value* m = field(v, camel, snake);
    return m && m->isString() ? m->asString() : std::string();
}

FinishReason finishFromGemini(std::string_view reason) {
    if (reason.empty() || reason == "FINISH_REASON_UNSPECIFIED") return FinishReason::Unset;
    if (reason == "MAX_TOKENS") return FinishReason::Length;
    // Every blocked-content reason is a filter to the client (translation.md §5.2 L16).
    if (reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" || reason == "PROHIBITED_CONTENT" ||
        reason == "SPII" || reason == "IMAGE_SAFETY" || reason == "IMAGE_PROHIBITED_CONTENT" ||
        reason == "IMAGE_RECITATION")
        return FinishReason::ContentFilter;
    return FinishReason::Stop;  // STOP, LANGUAGE, MALFORMED_FUNCTION_CALL, OTHER, …
}

std::string finishToGemini(FinishReason reason) {
    switch (reason) {
        case FinishReason::Length: return "MAX_TOKENS";
        case FinishReason::ContentFilter:
        case FinishReason::Refusal: return "SAFETY";
        default: return "STOP";  // Gemini ends function-call turns with STOP too
    }
}

Usage usageFromGemini(const Value& meta) {
    Usage u;
    if (!meta.isObject()) return u;
    u.present = true;
    u.input = intMember(meta, "promptTokenCount").value_or(0);
    u.reasoning = intMember(meta, "thoughtsTokenCount").value_or(0);
    u.output = intMember(meta, "candidatesTokenCount").value_or(0) + u.reasoning;
    u.cachedInput = intMember(meta, "cachedContentTokenCount").value_or(0);
    return u;
}

Value usageToGemini(const Usage& u) {
    Value meta = Value::object();
    meta.set("promptTokenCount", u.input);
    meta.set("candidatesTokenCount", u.output - u.reasoning > 0 ? u.output - u.reasoning : 0);
    meta.set("totalTokenCount", u.total());
    if (u.reasoning > 0) meta.set("thoughtsTokenCount", u.reasoning);
    if (u.cachedInput > 0) meta.set("cachedContentTokenCount", u.cachedInput);
    return meta;
}

const Value& unwrapResponse(const Value& body) {
    const Value* inner = member(body, "response");
    if (inner && inner->isObject() && !member(body, "candidates")) return *inner;
    return body;
}

}  // namespace cpa::proxy::translate::gemini
