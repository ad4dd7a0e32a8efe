// The Responses answer shapes shared by the non-stream reply and the stream
// encoder: output items, usage and the `response` envelope with the echo of
// the client's request (docs/spec/translation.md §3.4; §5.2 L11, L12).
#include "translate/common.hpp"
#include "translate/responses_internal.hpp"

namespace cpa::proxy::translate::responses {

using cpa::sdk::Value;

Value usageJson(const Usage& u) {
    return Value::object({{"input_tokens", u.input},
                          {"input_tokens_details", Value::object({{"cached_tokens", u.cachedInput}})},
                          {"output_tokens", u.output},
                          {"output_tokens_details", Value::object({{"reasoning_tokens", u.reasoning}})},
                          {"total_tokens", u.total()}});
}

std::string_view statusFor(FinishReason finish) {
    return finish == FinishReason::Length || finish == FinishReason::ContentFilter ? "incomplete" : "completed";
}

namespace {

/// The request fields a Responses answer repeats, from the client's own
/// request (not the translated one: translation.md §5.2 L12).
void echo(Value& r, const Conversation* req) {
    if (!req) return;
    if (std::string ins = instructionsText(req->system); !ins.empty()) r.set("instructions", std::move(ins));
    if (req->maxTokens) r.set("max_output_tokens", *req->maxTokens);
    if (req->toolChoice.parallelToolCalls) r.set("parallel_tool_calls", *req->toolChoice.parallelToolCalls);
    if (Value v = reasoningJson(req->reasoning, false); !v.isNull()) r.set("reasoning", std::move(v));
    if (req->temperature) r.set("temperature", *req->temperature);
    if (Value v = textJson(req->responseFormat); !v.isNull()) r.set("text", std::move(v));
    if (Value v = toolChoiceJson(*req, nullptr); !v.isNull()) r.set("tool_choice", std::move(v));
    if (!req->tools.empty()) r.set("tools", toolsJson(req->tools, nullptr, false));
    if (req->topP) r.set("top_p", *req->topP);
    if (!req->user.empty()) r.set("user", req->user);
}

}  // namespace

Value responseObject(const std::string& id, std::int64_t createdAt, const std::string& model, std::string_view status,
                     FinishReason finish, Value output, const Usage* usage, const Exchange& exchange) {
    Value r = Value::object({{"id", id},
                             {"object", "response"},
                             {"created_at", createdAt},
                             {"status", std::string(status)},
                             {"background", false},
                             {"error", Value()},
                             {"incomplete_details", Value()},
                             {"model", model}});
    if (status == "incomplete") {
        const char* reason = finish == FinishReason::ContentFilter ? "content_filter" : "max_output_tokens";
        r.set("incomplete_details", Value::object({{"reason", reason}}));
    }
    echo(r, exchange.request);
    r.set("output", std::move(output));
    r.set("usage", usage && usage->present ? usageJson(*usage) : Value());
    return r;
}

Value outputTextPart(const std::string& text) {
    return Value::object({{"type", "output_text"}, {"text", text}, {"annotations", Value::array()}});
}

Value messageItem(const std::string& id, std::string_view status, const std::string& text) {
    Value content = Value::array();
    if (status != "in_progress") content.push(outputTextPart(text));
    return Value::object({{"id", id},
                          {"type", "message"},
                          {"status", std::string(status)},
                          {"role", "assistant"},
                          {"content", std::move(content)}});
}

Value summaryTextPart(const std::string& text) { return Value::object({{"type", "summary_text"}, {"text", text}}); }

Value reasoningItem(const std::string& id, const std::string& text, const std::string& signature) {
    Value summary = Value::array();
    if (!text.empty()) summary.push(summaryTextPart(text));
    Value item = Value::object({{"id", id}, {"type", "reasoning"}, {"summary", std::move(summary)}});
    // A signature from another provider is kept too: the client sends it back
    // as encrypted_content and it returns to the provider that made it.
    if (!signature.empty()) item.set("encrypted_content", signature);
    return item;
}

Value functionCallItem(std::string_view status, const std::string& callId, const std::string& name,
                       const std::string& arguments) {
    return Value::object({{"id", "fc_" + callId},
                          {"type", "function_call"},
                          {"status", std::string(status)},
                          {"arguments", arguments},
                          {"call_id", callId},
                          {"name", name}});
}

Value imageItem(const std::string& id, std::string_view status, const Part* image) {
    Value item = Value::object({{"id", id}, {"type", "image_generation_call"}, {"status", std::string(status)}});
    if (image) {
        item.set("output_format", imageFormatFor(image->mimeType));
        item.set("result", image->data);
    }
    return item;
}

std::string imageFormatFor(std::string_view mimeType) {
    if (mimeType == "image/jpeg") return "jpeg";
    if (mimeType == "image/webp") return "webp";
    if (mimeType == "image/gif") return "gif";
    return "png";
}

std::string mimeForImageFormat(std::string_view format) {
    // translation.md §3.11: png, jpg/jpeg, webp, gif; a value that already is a MIME type is kept.
    if (format == "jpg" || format == "jpeg") return "image/jpeg";
    if (format == "webp") return "image/webp";
    if (format == "gif") return "image/gif";
    if (format.find('/') != std::string_view::npos) return std::string(format);
    return "image/png";
}

std::string responseIdFrom(const std::string& upstreamId) {
    return upstreamId.rfind("resp_", 0) == 0 ? upstreamId : randomId("resp_");
}

}  // namespace cpa::proxy::translate::responses
