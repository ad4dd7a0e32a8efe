// Codex / Responses upstream stream → canonical events
// (docs/spec/translation.md §3.11 and §3.14 stream tables; §5.1 codex
// vectors: signatures captured at output_item.added and replaced by a
// non-empty one at output_item.done, the output_item.done message fallback,
// arguments that only arrive whole, stop-reason mapping).
#include "translate/common.hpp"
#include "translate/responses_internal.hpp"

#include <cpa/sdk/json.hpp>

#include <map>

namespace cpa::proxy::translate::responses {

using cpa::sdk::Value;

namespace {

Event make(Event::Type type, std::string text = {}) {
    Event e;
    e.type = type;
    e.text = std::move(text);
    return e;
}

/// An HTTP-like status for an in-stream error code (0 when unknown).
int statusForCode(const std::string& code) {
    if (code == "rate_limit_exceeded" || code == "insufficient_quota" || code == "usage_limit_reached") return 429;
    if (code == "invalid_prompt" || code == "invalid_request_error" || code == "context_length_exceeded") return 400;
    if (code == "server_error" || code == "internal_server_error") return 500;
    if (code == "server_is_overloaded" || code == "server_overloaded") return 503;
    return 0;
}

std::string codeOf(const Value& v) {
    const Value* c = member(v, "code");
    return c && c->isString() ? c->asString() : std::string();
}

class ResponsesStreamDecoder final : public StreamDecoder {
public:
    explicit ResponsesStreamDecoder(const Exchange& exchange) : exchange_(exchange) {}

    void feed(std::string_view payload, std::vector<Event>& out) override {
        const auto first = payload.find_first_not_of(" \t\r\n");
        if (first == std::string_view::npos || payload.substr(first, 6) == "[DONE]") return;
        Value v;
        try {
            v = cpa::sdk::parseJson(payload);
        } catch (const std::exception& e) {
            out.push_back(make(Event::Type::Error, std::string("invalid JSON in the upstream stream: ") + e.what()));
            return;
        }
        if (!v.isObject()) return;
        fed_ = true;
        dispatch(stringMember(v, "type"), v, out);
    }

    void finish(std::vector<Event>& out) override {
        // Codex always ends with response.completed; a stream cut before it is
        // an upstream failure, not a normal stop (data-plane.md §9.2: 408).
        if (!fed_ || terminated_) return;
        Event e = make(Event::Type::Error, "the upstream stream ended before response.completed");
        e.index = 408;
        out.push_back(std::move(e));
        terminated_ = true;
    }

private:
    void dispatch(const std::string& type, const Value& v, std::vector<Event>& out) {
        if (terminated_) return;
        if (type == "response.created") started(v, out);
        else if (type == "response.output_item.added") itemAdded(v, out);
        else if (type == "response.output_item.done") itemDone(v, out);
        else if (type == "response.output_text.delta" || type == "response.refusal.delta") textDelta(v, out);
        else if (type == "response.reasoning_summary_text.delta") summaryDelta(v, out);
        else if (type == "response.function_call_arguments.delta") argumentsDelta(v, out);
        else if (type == "response.function_call_arguments.done") argumentsDone(v, out);
        else if (type == "response.image_generation_call.partial_image")
            image(stringMember(v, "item_id"), stringMember(v, "output_format"), stringMember(v, "partial_image_b64"), out);
        else if (type == "response.completed" || type == "response.incomplete") completed(v, out);
        else if (type == "response.failed") failed(v, out);
        else if (type == "error") error(v, out);
    }

    void started(const Value& v, std::vector<Event>& out) {
        if (startSent_) return;
        startSent_ = true;
        Event e = make(Event::Type::Start);
        if (const Value* r = member(v, "response")) {
            e.id = stringMember(*r, "id");
            e.model = stringMember(*r, "model");
        }
        out.push_back(std::move(e));
    }

    void textDelta(const Value& v, std::vector<Event>& out) {
        const std::string delta = stringMember(v, "delta");
        if (stringMember(v, "type") == "response.refusal.delta") refusal_ = true;
        textSeen_ = true;
        if (delta.empty()) return;
        content_ = true;
        out.push_back(make(Event::Type::TextDelta, delta));
    }

    void summaryDelta(const Value& v, std::vector<Event>& out) {
        const std::string delta = stringMember(v, "delta");
        if (delta.empty()) return;
        // Several summary parts read as one thought, separated as paragraphs.
        const std::int64_t part = intMember(v, "summary_index").value_or(summaryPart_);
        if (summarySeen_ && part != summaryPart_) out.push_back(make(Event::Type::ThinkingDelta, "\n\n"));
        summaryPart_ = part;
        summarySeen_ = true;
        content_ = true;
        out.push_back(make(Event::Type::ThinkingDelta, delta));
    }

    void itemAdded(const Value& v, std::vector<Event>& out) {
        const Value* item = member(v, "item");
        if (!item) return;
        const std::string type = stringMember(*item, "type");
        if (type == "function_call") {
            announce(*item, v, out);
        } else if (type == "reasoning") {
            signature_ = stringMember(*item, "encrypted_content");
            summarySeen_ = false;
            summaryPart_ = 0;
        } else if (type == "message") {
            textSeen_ = false;
        }
    }

    void itemDone(const Value& v, std::vector<Event>& out) {
        const Value* item = member(v, "item");
        if (!item) return;
        const std::string type = stringMember(*item, "type");
        if (type == "function_call") callDone(*item, v, out);
        else if (type == "message") messageDone(*item, out);
        else if (type == "reasoning") reasoningDone(*item, out);
        else if (type == "image_generation_call")
            image(stringMember(*item, "id"), stringMember(*item, "output_format"), stringMember(*item, "result"), out);
    }

    void messageDone(const Value& item, std::vector<Event>& out) {
        // Text that never came as deltas arrives whole here (translation.md §5.1 "StreamEmptyOutput…Fallback").
        if (!textSeen_) {
            bool refusal = false;
            const std::string text = messageText(item, &refusal);
            refusal_ = refusal_ || refusal;
            if (!text.empty()) {
                content_ = true;
                out.push_back(make(Event::Type::TextDelta, text));
            }
        }
        textSeen_ = false;
    }

    void reasoningDone(const Value& item, std::vector<Event>& out) {
        if (!summarySeen_) {
            const std::string text = reasoningText(item);
            if (!text.empty()) out.push_back(make(Event::Type::ThinkingDelta, text));
        }
        std::string sig = stringMember(item, "encrypted_content");
        if (sig.empty()) sig = signature_;
        if (!sig.empty()) out.push_back(make(Event::Type::ThinkingSignature, sig));
        content_ = true;
        signature_.clear();
        summarySeen_ = false;
        summaryPart_ = 0;
    }

    /// ToolCallStart for a function_call item; returns its canonical index.
    int announce(const Value& item, const Value& ev, std::vector<Event>& out) {
        const int index = static_cast<int>(calls_.size());
        calls_.push_back(false);
        Event e = make(Event::Type::ToolCallStart);
        e.index = index;
        e.callId = stringMember(item, "call_id");
        if (e.callId.empty()) e.callId = randomId("call_");
        e.name = exchange_.clientToolName(stringMember(item, "name"));
        if (std::string id = stringMember(item, "id"); !id.empty()) byKey_["id:" + id] = index;
        byKey_["call:" + e.callId] = index;
        if (auto oi = intMember(ev, "output_index")) byKey_["out:" + std::to_string(*oi)] = index;
        out.push_back(std::move(e));
        content_ = sawCall_ = true;
        lastCall_ = index;
        return index;
    }

    /// The call an event refers to: by item id, call id, output index; -1 when unknown.
    int findCall(const std::string& itemId, const std::string& callId, const Value& ev) const {
        for (const std::string& key : {"id:" + itemId, "call:" + callId}) {
            if (auto it = byKey_.find(key); key.size() > 5 && it != byKey_.end()) return it->second;
        }
        if (auto oi = intMember(ev, "output_index")) {
            if (auto it = byKey_.find("out:" + std::to_string(*oi)); it != byKey_.end()) return it->second;
        }
        return -1;
    }

    void delta(int index, const std::string& text, std::vector<Event>& out) {
        calls_[static_cast<std::size_t>(index)] = true;
        if (text.empty()) return;
        Event e = make(Event::Type::ToolCallDelta, text);
        e.index = index;
        out.push_back(std::move(e));
    }

    void argumentsDelta(const Value& v, std::vector<Event>& out) {
        int index = findCall(stringMember(v, "item_id"), {}, v);
        if (index < 0) index = lastCall_;
        if (index >= 0) delta(index, stringMember(v, "delta"), out);
    }

    void argumentsDone(const Value& v, std::vector<Event>& out) {
        int index = findCall(stringMember(v, "item_id"), {}, v);
        if (index < 0) index = lastCall_;
        if (index >= 0 && !calls_[static_cast<std::size_t>(index)]) delta(index, stringMember(v, "arguments"), out);
    }

    void callDone(const Value& item, const Value& ev, std::vector<Event>& out) {
        int index = findCall(stringMember(item, "id"), stringMember(item, "call_id"), ev);
        if (index < 0) index = announce(item, ev, out);
        if (!calls_[static_cast<std::size_t>(index)]) delta(index, stringMember(item, "arguments"), out);
    }

    void image(const std::string& itemId, const std::string& format, const std::string& b64, std::vector<Event>& out) {
        if (b64.empty()) return;
        std::string& last = lastImage_[itemId];
        if (last == b64) return;  // the final image repeats the last partial one
        last = b64;
        Event e = make(Event::Type::ImageData, b64);
        e.name = mimeForImageFormat(format);
        out.push_back(std::move(e));
        content_ = true;
    }

    void completed(const Value& v, std::vector<Event>& out) {
        const Value* r = member(v, "response");
        const Value empty = Value::object();
        if (!r || !r->isObject()) r = &empty;
        if (!content_) replayOutput(*r, out);
        Usage u = usageFrom(member(*r, "usage"));
        if (u.present) {
            Event e = make(Event::Type::Usage);
            e.usage = u;
            out.push_back(std::move(e));
        }
        Event fin = make(Event::Type::Finish);
        fin.reason = finishFrom(*r, sawCall_, fin.stopSequence);
        if (refusal_ && fin.reason == FinishReason::Stop) fin.reason = FinishReason::Refusal;
        out.push_back(std::move(fin));
        terminated_ = true;
    }

    /// An upstream that sends only the final object: its output as events.
    void replayOutput(const Value& r, std::vector<Event>& out) {
        std::vector<Part> parts;
        bool refusal = false;
        outputParts(r, exchange_, parts, refusal);
        refusal_ = refusal_ || refusal;
        for (const Part& p : parts) {
            if (p.kind == Part::Kind::Text) out.push_back(make(Event::Type::TextDelta, p.text));
            if (p.kind == Part::Kind::Thinking) {
                if (!p.text.empty()) out.push_back(make(Event::Type::ThinkingDelta, p.text));
                if (!p.signature.empty()) out.push_back(make(Event::Type::ThinkingSignature, p.signature));
            }
            if (p.kind == Part::Kind::ToolCall) {
                Event e = make(Event::Type::ToolCallStart);
                e.index = static_cast<int>(calls_.size());
                calls_.push_back(true);
                e.callId = p.callId;
                e.name = p.name;
                out.push_back(e);
                delta(e.index, p.arguments, out);
                sawCall_ = true;
            }
            if (p.kind == Part::Kind::Image) image("replay", imageFormatFor(p.mimeType), p.data, out);
        }
    }

    void failed(const Value& v, std::vector<Event>& out) {
        const Value* r = member(v, "response");
        const Value* err = r ? member(*r, "error") : nullptr;
        std::string msg = err ? stringMember(*err, "message") : std::string();
        Event e = make(Event::Type::Error, msg.empty() ? "the upstream response failed" : msg);
        e.index = err ? statusForCode(codeOf(*err)) : 0;
        out.push_back(std::move(e));
        terminated_ = true;
    }

    void error(const Value& v, std::vector<Event>& out) {
        const Value* err = member(v, "error");
        const Value& src = err && err->isObject() ? *err : v;
        std::string msg = stringMember(src, "message");
        Event e = make(Event::Type::Error, msg.empty() ? "upstream error" : msg);
        e.index = statusForCode(codeOf(src));
        if (e.index == 0) e.index = statusForCode(stringMember(src, "type"));
        out.push_back(std::move(e));
        terminated_ = true;
    }

    const Exchange& exchange_;
    bool fed_{}, startSent_{}, terminated_{};
    bool content_{};   // anything emitted: no need to replay response.completed's output
    bool textSeen_{};  // a text delta for the current message item
    bool refusal_{};
    bool sawCall_{};
    std::string signature_;  // of the current reasoning item, from output_item.added
    bool summarySeen_{};
    std::int64_t summaryPart_{};
    std::vector<bool> calls_;  // by canonical index: arguments already emitted
    std::map<std::string, int, std::less<>> byKey_;
    int lastCall_{-1};
    std::map<std::string, std::string, std::less<>> lastImage_;
};

}  // namespace

std::unique_ptr<StreamDecoder> makeStreamDecoder(const Exchange& exchange) {
    return std::make_unique<ResponsesStreamDecoder>(exchange);
}

}  // namespace cpa::proxy::translate::responses
