// Non-stream answers: canonical → a client's Messages answer, and a Claude
// upstream's message → canonical.
#include "translate/claude_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::claude {

using cpa::sdk::Value;

namespace {

Value replyBlock(const Part& p) {
    switch (p.kind) {
        case Part::Kind::Text: return p.text.empty() ? Value() : Value::object({{"type", "text"}, {"text", p.text}});
        case Part::Kind::Thinking:
            if (p.text.empty() && p.signature.empty()) return Value();
            if (p.redacted) return Value::object({{"type", "redacted_thinking"}, {"data", p.signature}});
            return Value::object({{"type", "thinking"}, {"thinking", p.text}, {"signature", p.signature}});
        case Part::Kind::ToolCall:
            return Value::object({{"type", "tool_use"},
                                  {"id", sanitizeToolId(p.callId)},
                                  {"name", p.name},
                                  {"input", argumentsObject(p.arguments)}});
        case Part::Kind::Image: return mediaBlock(p);  // generated images: the nearest Claude shape
        default: return Value();
    }
}

std::optional<Part> replyPart(const Value& block, const Exchange& exchange) {
    const std::string type = stringMember(block, "type");
    Part p;
    if (type == "text") {
        p.text = stringMember(block, "text");
    } else if (type == "thinking" || type == "redacted_thinking") {
        p.kind = Part::Kind::Thinking;
        p.redacted = type == "redacted_thinking";
        p.text = stringMember(block, "thinking");
        p.signature = stringMember(block, p.redacted ? "data" : "signature");
    } else if (type == "tool_use") {
        p.kind = Part::Kind::ToolCall;
        p.callId = stringMember(block, "id");
        if (p.callId.empty()) p.callId = randomId("call_");
        p.name = exchange.clientToolName(stringMember(block, "name"));
        const Value* input = member(block, "input");
        p.arguments = input && input->isObject() ? cpa::sdk::toJson(*input) : "{}";
    } else {
        return std::nullopt;  // server tool blocks and the like have no canonical form
    }
    return p;
}

}  // namespace

std::string encodeReply(const Reply& reply, const Exchange& exchange) {
    Value content = Value::array();
    bool sawToolCall = false;
    for (const Part& p : reply.parts) {
        sawToolCall = sawToolCall || p.kind == Part::Kind::ToolCall;
        if (Value b = replyBlock(p); !b.isNull()) content.push(std::move(b));
    }
    const bool withSequence = reply.finish == FinishReason::StopSequence && !reply.stopSequence.empty();
    const Value body = Value::object({
        {"id", reply.id.empty() ? randomId("msg_") : reply.id},
        {"type", "message"},
        {"role", "assistant"},
        {"model", exchange.clientModel.empty() ? reply.model : exchange.clientModel},
        {"content", std::move(content)},
        {"stop_reason", stopReasonFor(reply.finish, sawToolCall)},
        {"stop_sequence", withSequence ? Value(reply.stopSequence) : Value()},
        {"usage", usageToClaude(reply.usage)},
    });
    return cpa::sdk::toJson(body);
}

Reply decodeReply(const Value& body, const Exchange& exchange) {
    if (stringMember(body, "type") == "error") {
        const Value* err = member(body, "error");
        throw TranslateError("the upstream answered with an error: " + (err ? stringMember(*err, "message") : ""));
    }
    const Value* content = member(body, "content");
    if (!content || !content->isArray()) throw TranslateError("the upstream answer is not a Claude message");
    Reply r;
    r.id = stringMember(body, "id");
    r.model = stringMember(body, "model");
    for (const Value& block : content->asArray())
        if (auto p = replyPart(block, exchange)) r.parts.push_back(std::move(*p));
    r.finish = finishFromStopReason(stringMember(body, "stop_reason"));
    r.stopSequence = stringMember(body, "stop_sequence");
    if (const Value* u = member(body, "usage")) r.usage = usageFromClaude(*u);
    return r;
}

}  // namespace cpa::proxy::translate::claude
