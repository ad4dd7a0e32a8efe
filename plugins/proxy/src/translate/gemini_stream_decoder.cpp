// streamGenerateContent chunks (gemini / vertex upstreams) → canonical events.
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::gemini {

using cpa::sdk::Value;

namespace {

bool sameUsage(const Usage& a, const Usage& b) {
    return a.present == b.present && a.input == b.input && a.output == b.output && a.cachedInput == b.cachedInput &&
           a.reasoning == b.reasoning;
}

class GeminiStreamDecoder final : public StreamDecoder {
public:
    explicit GeminiStreamDecoder(const Exchange& exchange) : exchange_(exchange) {}
    void feed(std::string_view payload, std::vector<Event>& out) override;
    void finish(std::vector<Event>& out) override;

private:
    void chunk(const Value& raw, std::vector<Event>& out);
    void parts(const Value& list, std::vector<Event>& out);
    void textPart(const Value& part, std::string text, std::vector<Event>& out);
    void callPart(const Value& call, const Value& part, std::vector<Event>& out);
    void flush(std::vector<Event>& out);
    void emitFinish(FinishReason reason, std::vector<Event>& out);

    const Exchange& exchange_;
    bool started_{}, finished_{};
    bool thinkingOpen_{};  // the last content was thought: a signature on the next text closes it
    int calls_{};
    Usage usage_;
    // Adjacent text parts of one kind in a chunk become one delta (translation.md §5.2 L16).
    Event::Type pendingType_{Event::Type::TextDelta};
    std::string pending_;
};

void GeminiStreamDecoder::feed(std::string_view payload, std::vector<Event>& out) {
    const auto first = payload.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || payload.substr(first, 6) == "[DONE]") return;
    Value parsed;
    try {
        parsed = cpa::sdk::parseJson(payload);
    } catch (const std::exception& e) {
        Event err;
        err.type = Event::Type::Error;
        err.text = std::string("invalid JSON in the Gemini stream: ") + e.what();
        out.push_back(std::move(err));
        return;
    }
    if (parsed.isArray()) {  // a whole array of chunks (non-SSE stream answers)
        for (const Value& c : parsed.asArray()) chunk(c, out);
        return;
    }
    chunk(parsed, out);
}

void GeminiStreamDecoder::chunk(const Value& raw, std::vector<Event>& out) {
    const Value& c = unwrapResponse(raw);
    if (const Value* err = member(c, "error"); err && err->isObject()) {
        Event e;
        e.type = Event::Type::Error;
        e.text = stringMember(*err, "message");
        e.index = static_cast<int>(intMember(*err, "code").value_or(0));
        out.push_back(std::move(e));
        return;
    }
    if (!c.isObject()) return;
    if (!started_) {
        started_ = true;
        Event s;
        s.type = Event::Type::Start;
        s.id = stringMember(c, "responseId");
        s.model = stringMember(c, "modelVersion");
        out.push_back(std::move(s));
    }
    const Value* candidates = member(c, "candidates");
    const Value* cand = candidates && candidates->isArray() && candidates->size() > 0 ? &candidates->asArray()[0]
                                                                                      : nullptr;
    if (cand)
        if (const Value* content = member(*cand, "content"))
            if (const Value* list = member(*content, "parts"); list && list->isArray()) parts(*list, out);
    if (const Value* meta = member(c, "usageMetadata"); meta && meta->isObject()) {
        if (Usage u = usageFromGemini(*meta); !sameUsage(u, usage_)) {
            usage_ = u;
            Event e;
            e.type = Event::Type::Usage;
            e.usage = u;
            out.push_back(std::move(e));
        }
    }
    const FinishReason reason = cand ? finishFromGemini(stringMember(*cand, "finishReason")) : FinishReason::Unset;
    const Value* fb = member(c, "promptFeedback");
    if (reason != FinishReason::Unset) emitFinish(reason, out);
    else if (!cand && fb && !stringMember(*fb, "blockReason").empty()) emitFinish(FinishReason::ContentFilter, out);
}

void GeminiStreamDecoder::parts(const Value& list, std::vector<Event>& out) {
    for (const Value& part : list.asArray()) {
        if (const Value* call = field(part, "functionCall", "function_call"); call && call->isObject()) {
            callPart(*call, part, out);
        } else if (std::optional<Part> media = decodeMediaPart(part, "parts")) {
            flush(out);
            Event e;
            e.type = Event::Type::ImageData;
            e.name = media->mimeType;
            e.text = media->data;
            if (!e.text.empty()) out.push_back(std::move(e));
        } else if (const Value* t = member(part, "text"); t && t->isString()) {
            textPart(part, t->asString(), out);
        } else if (std::optional<std::string> code = codeExecutionText(part)) {
            textPart(part, std::move(*code), out);
        }
    }
    flush(out);
}

void GeminiStreamDecoder::textPart(const Value& part, std::string text, std::vector<Event>& out) {
    const Value* thought = member(part, "thought");
    const bool isThought = thought && thought->isBool() && thought->asBool();
    const std::string sig = stringField(part, "thoughtSignature", "thought_signature");
    const Event::Type type = isThought ? Event::Type::ThinkingDelta : Event::Type::TextDelta;
    if (!pending_.empty() && pendingType_ != type) flush(out);
    // A signature on the first answer part after the thoughts belongs to them.
    if (!isThought && !sig.empty() && thinkingOpen_) {
        Event s;
        s.type = Event::Type::ThinkingSignature;
        s.text = sig;
        out.push_back(std::move(s));
    }
    thinkingOpen_ = isThought;
    pendingType_ = type;
    pending_ += text;
    if (isThought && !sig.empty()) {
        flush(out);
        Event s;
        s.type = Event::Type::ThinkingSignature;
        s.text = sig;
        out.push_back(std::move(s));
        thinkingOpen_ = false;
    }
}

void GeminiStreamDecoder::callPart(const Value& call, const Value& part, std::vector<Event>& out) {
    flush(out);
    thinkingOpen_ = false;
    Event start;
    start.type = Event::Type::ToolCallStart;
    start.index = calls_++;
    start.callId = stringMember(call, "id");
    if (start.callId.empty()) start.callId = randomId("call_");
    start.name = exchange_.clientToolName(stringMember(call, "name"));
    start.signature = stringField(part, "thoughtSignature", "thought_signature");
    Event delta;
    delta.type = Event::Type::ToolCallDelta;
    delta.index = start.index;
    delta.text = argumentsText(member(call, "args"));  // Gemini sends each call whole
    out.push_back(std::move(start));
    out.push_back(std::move(delta));
}

void GeminiStreamDecoder::flush(std::vector<Event>& out) {
    if (pending_.empty()) return;
    Event e;
    e.type = pendingType_;
    e.text = std::move(pending_);
    pending_.clear();
    out.push_back(std::move(e));
}

void GeminiStreamDecoder::emitFinish(FinishReason reason, std::vector<Event>& out) {
    if (finished_) return;
    finished_ = true;
    Event f;
    f.type = Event::Type::Finish;
    f.reason = calls_ > 0 ? FinishReason::ToolCalls : reason;
    out.push_back(std::move(f));
}

void GeminiStreamDecoder::finish(std::vector<Event>& out) {
    if (started_ && !finished_) emitFinish(FinishReason::Stop, out);
}

}  // namespace

std::unique_ptr<StreamDecoder> makeStreamDecoder(const Exchange& exchange) {
    return std::make_unique<GeminiStreamDecoder>(exchange);
}

}  // namespace cpa::proxy::translate::gemini
