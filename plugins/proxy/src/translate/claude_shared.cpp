// Small mappings every piece of the Claude codec shares: tool ids, stop
// reasons, usage, media blocks.
#include "translate/claude_internal.hpp"
#include "translate/common.hpp"

#include <algorithm>

namespace cpa::proxy::translate::claude {

using cpa::sdk::Value;

std::string sanitizeToolId(std::string_view id) {
    if (id.empty()) return randomId("toolu_");
    std::string out(id);
    for (char& c : out) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '-';
        if (!ok) c = '_';
    }
    return out;
}

FinishReason finishFromStopReason(std::string_view s) {
    if (s.empty()) return FinishReason::Unset;
    if (s == "max_tokens" || s == "model_context_window_exceeded") return FinishReason::Length;
    if (s == "tool_use") return FinishReason::ToolCalls;
    if (s == "stop_sequence") return FinishReason::StopSequence;
    if (s == "refusal") return FinishReason::Refusal;
    return FinishReason::Stop;  // end_turn, pause_turn, anything newer
}

std::string stopReasonFor(FinishReason finish, bool sawToolCall) {
    if (sawToolCall) return "tool_use";  // translation.md §2.11: any tool call → tool_use
    switch (finish) {
        case FinishReason::Length: return "max_tokens";
        case FinishReason::ToolCalls: return "tool_use";
        case FinishReason::StopSequence: return "stop_sequence";
        case FinishReason::Refusal:
        case FinishReason::ContentFilter: return "refusal";
        default: return "end_turn";
    }
}

Usage usageFromClaude(const Value& u) {
    Usage out;
    if (!u.isObject()) return out;
    out.present = true;
    out.cachedInput = intMember(u, "cache_read_input_tokens").value_or(0);
    out.cacheCreation = intMember(u, "cache_creation_input_tokens").value_or(0);
    // Claude's input_tokens excludes both cache counts; canonical input includes them.
    out.input = intMember(u, "input_tokens").value_or(0) + out.cachedInput + out.cacheCreation;
    out.output = intMember(u, "output_tokens").value_or(0);
    return out;
}

Value usageToClaude(const Usage& u) {
    const std::int64_t input = std::max<std::int64_t>(0, u.input - u.cachedInput - u.cacheCreation);
    return Value::object({{"input_tokens", input},
                          {"output_tokens", u.output},
                          {"cache_read_input_tokens", u.cachedInput},
                          {"cache_creation_input_tokens", u.cacheCreation}});
}

Value mediaBlock(const Part& part) {
    const bool image = part.kind == Part::Kind::Image;
    Value source;
    if (!part.data.empty()) {
        std::string mime = part.mimeType;
        if (mime.empty()) mime = image ? "image/png" : "application/pdf";
        source = Value::object({{"type", "base64"}, {"media_type", mime}, {"data", part.data}});
    } else if (const auto d = parseDataUrl(part.url)) {
        source = Value::object({{"type", "base64"}, {"media_type", d->mimeType}, {"data", d->data}});
    } else {
        source = Value::object({{"type", "url"}, {"url", part.url}});
    }
    Value block = Value::object({{"type", image ? "image" : "document"}, {"source", std::move(source)}});
    if (!image && !part.filename.empty()) block.set("title", part.filename);
    return block;
}

}  // namespace cpa::proxy::translate::claude
