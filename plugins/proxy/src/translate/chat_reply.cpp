// Non-stream answers: canonical → chat.completion for the client, and an
// upstream chat.completion → canonical (docs/spec/translation.md §3.2–§3.4 "Non-stream").
#include "translate/chat_content.hpp"
#include "translate/chat_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::chat {

namespace {

using cpa::sdk::Value;

Value toolCallValue(const Part& p) {
    return Value::object(
        {{"id", p.callId},
         {"type", "function"},
         {"function", Value::object({{"name", p.name},
                                     {"arguments", p.arguments.empty() ? std::string("{}") : p.arguments}})}});
}

Value replyMessage(const Reply& r, bool& sawToolCall) {
    std::string text, reasoning;
    Value calls = Value::array(), images = Value::array();
    for (const Part& p : r.parts) {
        if (p.kind == Part::Kind::Text) text += p.text;
        else if (p.kind == Part::Kind::Thinking && !p.redacted && !p.text.empty())
            reasoning += (reasoning.empty() ? "" : "\n\n") + p.text;
        else if (p.kind == Part::Kind::ToolCall) calls.push(toolCallValue(p));
        else if (p.kind == Part::Kind::Image) {
            Value img = encodePart(p);
            img.set("index", static_cast<std::int64_t>(images.size()));
            images.push(std::move(img));  // the original's `message.images` extension
        }
    }
    sawToolCall = calls.size() > 0;
    Value msg = Value::object({{"role", "assistant"}});
    msg.set("content", text.empty() && sawToolCall ? Value() : Value(text));
    if (!reasoning.empty()) msg.set("reasoning_content", reasoning);
    if (sawToolCall) msg.set("tool_calls", std::move(calls));
    if (images.size()) msg.set("images", std::move(images));
    return msg;
}

}  // namespace

std::string encodeReply(const Reply& r, const Exchange& ex) {
    bool sawToolCall = false;
    Value message = replyMessage(r, sawToolCall);
    Value choice = Value::object({{"index", 0},
                                  {"message", std::move(message)},
                                  {"logprobs", Value()},
                                  {"finish_reason", finishReasonName(r.finish, sawToolCall)}});
    Value out = Value::object({{"id", r.id.empty() ? randomId("chatcmpl-") : r.id},
                               {"object", "chat.completion"},
                               {"created", r.created ? r.created : nowSeconds()},
                               {"model", ex.clientModel.empty() ? r.model : ex.clientModel}});
    out.set("choices", Value(Value::Array{std::move(choice)}));
    out.set("usage", encodeUsage(r.usage));
    return cpa::sdk::toJson(out);
}

// ---- decode -------------------------------------------------------------

namespace {

/// reasoning_content as a string, an array of strings, or objects with `text`.
std::string reasoningText(const Value& msg) {
    const Value* v = member(msg, "reasoning_content");
    if (!v || v->isNull()) v = member(msg, "reasoning");
    if (!v) return {};
    if (v->isString()) return v->asString();
    std::string out;
    if (v->isArray())
        for (const Value& item : v->asArray()) {
            const std::string t = item.isString() ? item.asString() : stringMember(item, "text");
            if (!t.empty()) out += (out.empty() ? "" : "\n\n") + t;
        }
    return out;
}

Part decodeCall(const Value& call, const Value& fn, const Exchange& ex) {
    Part p;
    p.kind = Part::Kind::ToolCall;
    p.callId = stringMember(call, "id");
    if (p.callId.empty()) p.callId = randomId("call_");
    p.name = ex.clientToolName(stringMember(fn, "name"));
    const Value* args = member(fn, "arguments");
    p.arguments = !args || args->isNull() ? std::string("{}")
                  : args->isString()     ? args->asString()
                                         : cpa::sdk::toJson(*args);
    if (p.arguments.find_first_not_of(" \t\r\n") == std::string::npos) p.arguments = "{}";
    return p;
}

/// The non-standard array `content` some servers send: text, reasoning and image items.
void decodeContentArray(const Value& content, std::vector<Part>& parts) {
    for (const Value& item : content.asArray()) {
        const std::string type = stringMember(item, "type");
        if (item.isString()) parts.push_back(Part::textPart(item.asString()));
        else if (type == "reasoning" || type == "thinking") {
            Part t = Part::textPart(stringMember(item, "text"));
            t.kind = Part::Kind::Thinking;
            parts.push_back(std::move(t));
        } else if (type == "image_url" && member(item, "image_url")) {
            parts.push_back(decodeContentPart(item, "content"));
        } else if (member(item, "text")) {
            parts.push_back(Part::textPart(stringMember(item, "text")));
        }
    }
}

void decodeMessage(const Value& msg, Reply& r, const Exchange& ex) {
    if (std::string reasoning = reasoningText(msg); !reasoning.empty()) {
        Part t = Part::textPart(std::move(reasoning));
        t.kind = Part::Kind::Thinking;
        r.parts.push_back(std::move(t));
    }
    if (const Value* content = member(msg, "content"); content && content->isString() && !content->asString().empty())
        r.parts.push_back(Part::textPart(content->asString()));
    else if (content && content->isArray())
        decodeContentArray(*content, r.parts);
    if (std::string refusal = stringMember(msg, "refusal"); !refusal.empty()) {
        r.parts.push_back(Part::textPart(std::move(refusal)));
        r.finish = FinishReason::Refusal;
    }
    if (const Value* calls = member(msg, "tool_calls"); calls && calls->isArray())
        for (const Value& call : calls->asArray())
            if (const Value* fn = member(call, "function"); fn && fn->isObject())
                r.parts.push_back(decodeCall(call, *fn, ex));
    if (const Value* fc = member(msg, "function_call"); fc && fc->isObject())  // legacy single call
        r.parts.push_back(decodeCall(Value::object(), *fc, ex));
    if (const Value* images = member(msg, "images"); images && images->isArray())
        for (const Value& img : images->asArray())
            if (member(img, "image_url")) r.parts.push_back(decodeContentPart(img, "images"));
}

}  // namespace

Reply decodeReply(const Value& body, const Exchange& ex) {
    if (!body.isObject()) throw TranslateError("the upstream answer is not a chat completion object");
    if (const Value* err = member(body, "error"); err && err->isObject())
        throw TranslateError("the upstream answered with an error: " + stringMember(*err, "message"));
    const Value* choices = member(body, "choices");
    if (!choices || !choices->isArray() || choices->size() == 0)
        throw TranslateError("the upstream answer has no choices");
    const Value& choice = choices->asArray()[0];  // n > 1 is not translated (translation.md §5.2 L24)
    const Value* msg = member(choice, "message");
    if (!msg || !msg->isObject()) throw TranslateError("the upstream answer has no choices[0].message");
    Reply r;
    r.id = stringMember(body, "id");
    r.model = stringMember(body, "model");
    r.created = intMember(body, "created").value_or(0);
    decodeMessage(*msg, r, ex);
    const FinishReason given = parseFinishReason(stringMember(choice, "finish_reason"));
    if (given != FinishReason::Unset && !(given == FinishReason::Stop && r.finish == FinishReason::Refusal))
        r.finish = given;
    if (r.finish == FinishReason::Unset) {
        bool call = false;
        for (const Part& p : r.parts) call = call || p.kind == Part::Kind::ToolCall;
        r.finish = call ? FinishReason::ToolCalls : FinishReason::Stop;
    }
    if (const Value* usage = member(body, "usage")) r.usage = decodeUsage(*usage);
    return r;
}

}  // namespace cpa::proxy::translate::chat
