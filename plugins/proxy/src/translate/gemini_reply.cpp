// Non-stream answers: canonical Reply ↔ GenerateContentResponse.
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"

#include <cpa/sdk/json.hpp>

#include <ctime>

namespace cpa::proxy::translate::gemini {

using cpa::sdk::Value;

namespace {

/// RFC 3339 `createTime` → Unix seconds (0 when unreadable).
std::int64_t parseCreateTime(const std::string& s) {
    std::tm tm{};
    if (s.size() < 19 || !strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
    return static_cast<std::int64_t>(timegm(&tm));
}

Part thinkingPart(const Value& part, std::string text) {
    Part p;
    p.kind = Part::Kind::Thinking;
    p.text = std::move(text);
    p.signature = stringField(part, "thoughtSignature", "thought_signature");
    return p;
}

/// Appends one answer part; adjacent texts of the same kind merge.
void appendAnswerPart(const Value& part, const Exchange& exchange, std::vector<Part>& out) {
    const std::string sig = stringField(part, "thoughtSignature", "thought_signature");
    if (const Value* call = field(part, "functionCall", "function_call"); call && call->isObject()) {
        Part p;
        p.kind = Part::Kind::ToolCall;
        p.callId = stringMember(*call, "id");
        if (p.callId.empty()) p.callId = randomId("call_");
        p.name = exchange.clientToolName(stringMember(*call, "name"));
        p.arguments = argumentsText(member(*call, "args"));
        p.signature = sig;
        out.push_back(std::move(p));
        return;
    }
    if (std::optional<Part> media = decodeMediaPart(part, "parts")) {
        out.push_back(std::move(*media));
        return;
    }
    const Value* textValue = member(part, "text");
    std::optional<std::string> text = textValue && textValue->isString() ? std::optional(textValue->asString())
                                                                          : codeExecutionText(part);
    if (!text) return;
    const Value* thought = member(part, "thought");
    const bool isThought = thought && thought->isBool() && thought->asBool();
    const Part::Kind kind = isThought ? Part::Kind::Thinking : Part::Kind::Text;
    // A signature on the first answer part after the thoughts belongs to them.
    if (!isThought && !sig.empty() && !out.empty() && out.back().kind == Part::Kind::Thinking &&
        out.back().signature.empty())
        out.back().signature = sig;
    if (!out.empty() && out.back().kind == kind && (kind == Part::Kind::Text || out.back().signature.empty())) {
        out.back().text += *text;
        if (isThought) out.back().signature = sig;
        return;
    }
    out.push_back(isThought ? thinkingPart(part, std::move(*text)) : Part::textPart(std::move(*text)));
}

Value answerPart(const Part& p) {
    switch (p.kind) {
        case Part::Kind::Text: return Value::object({{"text", p.text}});
        case Part::Kind::Thinking: {
            if (p.redacted) return Value();  // opaque, nothing to show a Gemini client
            Value v = Value::object({{"text", p.text}, {"thought", true}});
            if (!p.signature.empty()) v.set("thoughtSignature", p.signature);
            return v;
        }
        case Part::Kind::ToolCall: {
            Value call = Value::object({{"name", p.name}, {"args", argumentsObject(p.arguments)}});
            if (!p.callId.empty()) call.set("id", p.callId);
            Value v = Value::object({{"functionCall", std::move(call)}});
            if (!p.signature.empty()) v.set("thoughtSignature", p.signature);
            return v;
        }
        case Part::Kind::Image:
        case Part::Kind::File:
        case Part::Kind::Audio:
            if (p.data.empty()) return Value();
            return Value::object({{"inlineData", Value::object({{"mimeType", p.mimeType}, {"data", p.data}})}});
        default: return Value();
    }
}

}  // namespace

std::string encodeReply(const Reply& reply, const Exchange& exchange) {
    Value parts = Value::array();
    for (const Part& p : reply.parts)
        if (Value v = answerPart(p); !v.isNull()) parts.push(std::move(v));
    Value candidate = Value::object({{"content", Value::object({{"role", "model"}, {"parts", std::move(parts)}})},
                                     {"finishReason", finishToGemini(reply.finish)},
                                     {"index", 0}});
    Value body = Value::object({{"candidates", Value(Value::Array{std::move(candidate)})}});
    if (reply.usage.present) body.set("usageMetadata", usageToGemini(reply.usage));
    body.set("modelVersion", exchange.clientModel.empty() ? reply.model : exchange.clientModel);
    body.set("responseId", reply.id.empty() ? randomId("", 24) : reply.id);
    return cpa::sdk::toJson(body);
}

Reply decodeReply(const Value& raw, const Exchange& exchange) {
    const Value& body = unwrapResponse(raw);
    if (!body.isObject()) throw TranslateError("the Gemini answer is not a JSON object");
    if (const Value* err = member(body, "error"))
        throw TranslateError("the Gemini answer is an error: " + stringMember(*err, "message"));
    const Value* candidates = member(body, "candidates");
    if (!candidates && !member(body, "promptFeedback") && !member(body, "usageMetadata"))
        throw TranslateError("the Gemini answer has no candidates");
    Reply r;
    r.id = stringMember(body, "responseId");
    r.model = stringMember(body, "modelVersion");
    r.created = parseCreateTime(stringMember(body, "createTime"));
    if (const Value* meta = member(body, "usageMetadata")) r.usage = usageFromGemini(*meta);
    const Value* first = candidates && candidates->isArray() && candidates->size() > 0 ? &candidates->asArray()[0]
                                                                                      : nullptr;
    if (!first) {  // a blocked prompt has no candidates, only promptFeedback.blockReason
        const Value* fb = member(body, "promptFeedback");
        r.finish = fb && !stringMember(*fb, "blockReason").empty() ? FinishReason::ContentFilter : FinishReason::Stop;
        return r;
    }
    if (const Value* content = member(*first, "content"))
        if (const Value* parts = member(*content, "parts"); parts && parts->isArray())
            for (const Value& part : parts->asArray()) appendAnswerPart(part, exchange, r.parts);
    r.finish = finishFromGemini(stringMember(*first, "finishReason"));
    if (r.finish == FinishReason::Unset) r.finish = FinishReason::Stop;
    for (const Part& p : r.parts)
        if (p.kind == Part::Kind::ToolCall) r.finish = FinishReason::ToolCalls;
    return r;
}

}  // namespace cpa::proxy::translate::gemini
