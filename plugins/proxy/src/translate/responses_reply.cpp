// Non-stream answers: a canonical reply → a Responses object for the client,
// and a codex / Responses answer → canonical (docs/spec/translation.md §3.4
// non-stream, translation.md §3.11/§3.14 non-stream, §2.11, §2.12).
#include "translate/common.hpp"
#include "translate/responses_internal.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::responses {

using cpa::sdk::Value;

// ---------------------------------------------------------------- helpers --

Usage usageFrom(const Value* u) {
    Usage out;
    if (!u || !u->isObject()) return out;
    out.present = true;
    out.input = intMember(*u, "input_tokens").value_or(0);
    out.output = intMember(*u, "output_tokens").value_or(0);
    if (const Value* d = member(*u, "input_tokens_details")) out.cachedInput = intMember(*d, "cached_tokens").value_or(0);
    if (const Value* d = member(*u, "output_tokens_details")) out.reasoning = intMember(*d, "reasoning_tokens").value_or(0);
    return out;
}

FinishReason finishFrom(const Value& r, bool sawToolCall, std::string& stopSequence) {
    if (sawToolCall) return FinishReason::ToolCalls;
    std::string reason;
    if (const Value* d = member(r, "incomplete_details"); d && d->isObject()) reason = stringMember(*d, "reason");
    if (stringMember(r, "status") == "incomplete" || !reason.empty())
        return reason == "content_filter" ? FinishReason::ContentFilter : FinishReason::Length;
    // Some Responses-compatible upstreams report a matched stop sequence (translation.md §2.11 "Codex → Claude").
    stopSequence = stringMember(r, "stop_sequence");
    return stopSequence.empty() ? FinishReason::Stop : FinishReason::StopSequence;
}

namespace {

std::string joinTexts(const Value* parts, const char* key) {
    std::string out;
    if (!parts || !parts->isArray()) return out;
    for (const Value& p : parts->asArray()) {
        const std::string t = stringMember(p, key);
        if (t.empty()) continue;
        if (!out.empty()) out += "\n\n";
        out += t;
    }
    return out;
}

}  // namespace

std::string reasoningText(const Value& item) {
    std::string text = joinTexts(member(item, "summary"), "text");
    return text.empty() ? joinTexts(member(item, "content"), "text") : text;
}

std::string messageText(const Value& item, bool* refusal) {
    std::string out;
    const Value* content = member(item, "content");
    if (!content || !content->isArray()) return out;
    for (const Value& p : content->asArray()) {
        const std::string type = stringMember(p, "type");
        if (type == "output_text") {
            out += stringMember(p, "text");
        } else if (type == "refusal") {
            out += stringMember(p, "refusal");
            if (refusal) *refusal = true;
        }
    }
    return out;
}

// ----------------------------------------------------------- client reply --

std::string encodeReply(const Reply& reply, const Exchange& exchange) {
    Value output = Value::array();
    std::string text;
    bool haveText = false;
    auto flushText = [&] {
        if (haveText) output.push(messageItem(randomId("msg_"), "completed", text));
        text.clear();
        haveText = false;
    };
    for (const Part& p : reply.parts) {
        if (p.kind == Part::Kind::Text) {
            text += p.text;
            haveText = true;
            continue;
        }
        flushText();
        if (p.kind == Part::Kind::Thinking) output.push(reasoningItem(randomId("rs_"), p.text, p.signature));
        else if (p.kind == Part::Kind::ToolCall)
            output.push(functionCallItem("completed", p.callId, p.name, p.arguments.empty() ? "{}" : p.arguments));
        else if (p.kind == Part::Kind::Image) output.push(imageItem(randomId("ig_"), "completed", &p));
    }
    flushText();
    const std::string model = exchange.clientModel.empty() ? reply.model : exchange.clientModel;
    const Value r = responseObject(responseIdFrom(reply.id), reply.created ? reply.created : nowSeconds(), model,
                                   statusFor(reply.finish), reply.finish, std::move(output), &reply.usage, exchange);
    return cpa::sdk::toJson(r);
}

// ------------------------------------------------------- provider answer --

namespace {

/// The `response` object: a plain Responses body, or the response.completed
/// (/ .incomplete / .failed) event that carries it (translation.md §1.3 codex row).
const Value& unwrapResponse(const Value& body) {
    if (body.isObject()) {
        if (const Value* r = body.find("response"); r && r->isObject()) return *r;
        if (body.find("output") || stringMember(body, "object") == "response") return body;
    }
    throw TranslateError("the upstream answer is not a Responses object");
}

void addText(std::vector<Part>& parts, const std::string& text) {
    if (text.empty()) return;
    if (!parts.empty() && parts.back().kind == Part::Kind::Text) parts.back().text += text;
    else parts.push_back(Part::textPart(text));
}

/// One output item → parts; true when it is a function call.
bool addItem(std::vector<Part>& out, const Value& item, const Exchange& exchange, bool& refusal) {
    const std::string type = stringMember(item, "type");
    if (type == "message") {
        addText(out, messageText(item, &refusal));  // every message's text, not just the first (translation.md §5.2 L21)
    } else if (type == "reasoning") {
        Part p;
        p.kind = Part::Kind::Thinking;
        p.text = reasoningText(item);
        p.signature = stringMember(item, "encrypted_content");
        if (!p.text.empty() || !p.signature.empty()) out.push_back(std::move(p));
    } else if (type == "function_call") {
        Part p;
        p.kind = Part::Kind::ToolCall;
        p.callId = stringMember(item, "call_id");
        if (p.callId.empty()) p.callId = randomId("call_");
        p.name = exchange.clientToolName(stringMember(item, "name"));
        p.arguments = stringMember(item, "arguments");
        if (p.arguments.empty()) p.arguments = "{}";
        out.push_back(std::move(p));
        return true;
    } else if (type == "image_generation_call" && !stringMember(item, "result").empty()) {
        Part p;
        p.kind = Part::Kind::Image;
        p.mimeType = mimeForImageFormat(stringMember(item, "output_format"));
        p.data = stringMember(item, "result");
        out.push_back(std::move(p));
    }
    return false;
}

}  // namespace

bool outputParts(const Value& r, const Exchange& exchange, std::vector<Part>& parts, bool& refusal) {
    bool sawCall = false;
    if (const Value* items = member(r, "output"); items && items->isArray())
        for (const Value& item : items->asArray()) sawCall = addItem(parts, item, exchange, refusal) || sawCall;
    return sawCall;
}

Reply decodeReply(const Value& body, const Exchange& exchange) {
    const Value& r = unwrapResponse(body);
    if (stringMember(r, "status") == "failed") {
        const Value* err = member(r, "error");
        const std::string msg = err ? stringMember(*err, "message") : std::string();
        throw TranslateError("the upstream response failed" + (msg.empty() ? std::string() : ": " + msg));
    }
    Reply out;
    out.id = stringMember(r, "id");
    out.model = stringMember(r, "model");
    out.created = intMember(r, "created_at").value_or(0);
    bool refusal = false;
    const bool sawCall = outputParts(r, exchange, out.parts, refusal);
    out.finish = finishFrom(r, sawCall, out.stopSequence);
    if (refusal && out.finish == FinishReason::Stop) out.finish = FinishReason::Refusal;
    out.usage = usageFrom(member(r, "usage"));
    return out;
}

}  // namespace cpa::proxy::translate::responses
