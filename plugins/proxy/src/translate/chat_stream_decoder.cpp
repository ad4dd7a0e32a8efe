// An OpenAI-compatible upstream's chat.completion.chunk payloads → canonical
// events (docs/spec/translation.md §3.2–§3.4 "Stream", input side §1.6).
#include "translate/chat_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

#include <map>

namespace cpa::proxy::translate::chat {

namespace {

using cpa::sdk::Value;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

Event makeEvent(Event::Type type, std::string text = {}, int index = 0) {
    Event e;
    e.type = type;
    e.text = std::move(text);
    e.index = index;
    return e;
}

class ChatStreamDecoder final : public StreamDecoder {
public:
    explicit ChatStreamDecoder(const Exchange& ex) : names_(ex.toolNameBack) {}

    void feed(std::string_view payload, std::vector<Event>& out) override {
        payload = trim(payload);
        if (payload.substr(0, 5) == "data:") payload = trim(payload.substr(5));  // tolerated
        if (failed_ || payload.empty() || payload == "[DONE]") return;
        Value chunk;
        try {
            chunk = cpa::sdk::parseJson(payload);
        } catch (const std::exception& e) {
            return fail(out, std::string("invalid JSON in the upstream stream: ") + e.what(), 0);
        }
        if (!chunk.isObject()) return fail(out, "the upstream stream sent a chunk that is not an object", 0);
        if (const Value* err = member(chunk, "error"); err && !err->isNull()) {
            const std::string msg = err->isString() ? err->asString() : stringMember(*err, "message");
            return fail(out, msg.empty() ? std::string("upstream error") : msg, statusFromErrorObject(*err));
        }
        if (!started_) {
            started_ = true;
            Event s = makeEvent(Event::Type::Start);
            s.id = stringMember(chunk, "id");
            s.model = stringMember(chunk, "model");
            out.push_back(std::move(s));
        }
        if (const Value* choices = member(chunk, "choices"); choices && choices->isArray() && choices->size() > 0)
            choice(choices->asArray()[0], out);  // n > 1 is not translated (translation.md §5.2 L24)
        if (const Value* usage = member(chunk, "usage"); usage && usage->isObject())
            {
            Event u = makeEvent(Event::Type::Usage);
            u.usage = decodeUsage(*usage);
            out.push_back(std::move(u));
        }
    }

    void finish(std::vector<Event>& out) override {
        if (failed_ || !started_) return;
        for (Call& c : calls_) startCall(c, out);
        if (!finished_) finishWith(calls_.empty() ? FinishReason::Stop : FinishReason::ToolCalls, out);
    }

private:
    struct Call {
        int index{};
        std::string id, name, pendingArguments;
        bool started{};
    };

    void fail(std::vector<Event>& out, std::string message, int status) {
        failed_ = true;
        out.push_back(makeEvent(Event::Type::Error, std::move(message), status));
    }

    void choice(const Value& ch, std::vector<Event>& out) {
        if (const Value* d = member(ch, "delta"); d && d->isObject()) {
            std::string reasoning = stringMember(*d, "reasoning_content");
            if (reasoning.empty()) reasoning = stringMember(*d, "reasoning");
            if (!reasoning.empty()) out.push_back(makeEvent(Event::Type::ThinkingDelta, std::move(reasoning)));
            if (std::string text = stringMember(*d, "content"); !text.empty())
                out.push_back(makeEvent(Event::Type::TextDelta, std::move(text)));
            if (std::string refusal = stringMember(*d, "refusal"); !refusal.empty())
                out.push_back(makeEvent(Event::Type::TextDelta, std::move(refusal)));
            if (const Value* calls = member(*d, "tool_calls"); calls && calls->isArray())
                for (std::size_t i = 0; i < calls->size(); ++i) toolCall(calls->asArray()[i], i, out);
        }
        // finish_reason null means "not yet" (translation.md §5.2 L17).
        if (const std::string reason = stringMember(ch, "finish_reason"); !reason.empty()) {
            for (Call& c : calls_) startCall(c, out);
            finishWith(parseFinishReason(reason), out);
        }
    }

    void toolCall(const Value& item, std::size_t position, std::vector<Event>& out) {
        const std::int64_t key = intMember(item, "index").value_or(static_cast<std::int64_t>(position));
        const std::string id = stringMember(item, "id");
        const Value* fn = member(item, "function");
        const auto known = byUpstreamIndex_.find(key);
        // A new id on a known index is a new call (servers that always say index 0).
        const bool fresh = known == byUpstreamIndex_.end() ||
                           (!id.empty() && !calls_[known->second].id.empty() && calls_[known->second].id != id);
        if (fresh) {
            byUpstreamIndex_[key] = calls_.size();
            calls_.emplace_back();
            calls_.back().index = static_cast<int>(calls_.size() - 1);
        }
        Call& c = calls_[byUpstreamIndex_[key]];
        if (c.id.empty()) c.id = id;
        if (c.name.empty() && fn) c.name = stringMember(*fn, "name");
        if (!c.name.empty()) startCall(c, out);  // wait for the name before announcing the call
        const Value* args = fn ? member(*fn, "arguments") : nullptr;
        std::string piece = !args || args->isNull() ? std::string()
                            : args->isString()     ? args->asString()
                                                   : cpa::sdk::toJson(*args);
        if (piece.empty()) return;
        if (c.started) out.push_back(makeEvent(Event::Type::ToolCallDelta, std::move(piece), c.index));
        else c.pendingArguments += piece;
    }

    void startCall(Call& c, std::vector<Event>& out) {
        if (c.started) return;
        c.started = true;
        if (c.id.empty()) c.id = randomId("call_");
        Event s = makeEvent(Event::Type::ToolCallStart, {}, c.index);
        s.callId = c.id;
        const auto back = names_.find(c.name);
        s.name = back == names_.end() ? c.name : back->second;
        out.push_back(std::move(s));
        if (!c.pendingArguments.empty())
            out.push_back(makeEvent(Event::Type::ToolCallDelta, std::move(c.pendingArguments), c.index));
        c.pendingArguments.clear();
    }

    void finishWith(FinishReason reason, std::vector<Event>& out) {
        if (finished_) return;
        finished_ = true;
        Event f = makeEvent(Event::Type::Finish);
        f.reason = reason;
        out.push_back(std::move(f));
    }

    std::map<std::string, std::string, std::less<>> names_;  // sent → client tool names
    std::map<std::int64_t, std::size_t> byUpstreamIndex_;
    std::vector<Call> calls_;
    bool started_{}, finished_{}, failed_{};
};

}  // namespace

std::unique_ptr<StreamDecoder> makeStreamDecoder(const Exchange& ex) { return std::make_unique<ChatStreamDecoder>(ex); }

}  // namespace cpa::proxy::translate::chat
