// A Claude upstream's SSE payloads → canonical events.
#include "translate/claude_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

#include <map>

namespace cpa::proxy::translate::claude {

using cpa::sdk::Value;

namespace {

class ClaudeStreamDecoder final : public StreamDecoder {
public:
    explicit ClaudeStreamDecoder(const Exchange& exchange) : exchange_(exchange) {}

    void feed(std::string_view payload, std::vector<Event>& out) override {
        if (payload == "[DONE]") return;
        Value v;
        try {
            v = cpa::sdk::parseJson(payload);
        } catch (const std::exception& e) {
            out.push_back(errorEvent(std::string("invalid JSON in the upstream stream: ") + e.what(), 0));
            return;
        }
        const std::string type = stringMember(v, "type");
        if (type == "message_start") messageStart(v, out);
        else if (type == "content_block_start") blockStart(v, out);
        else if (type == "content_block_delta") blockDelta(v, out);
        else if (type == "message_delta") messageDelta(v, out);
        else if (type == "error") upstreamError(v, out);
        // ping, content_block_stop, message_stop: nothing to say
    }

    void finish(std::vector<Event>& out) override {
        if (!started_ || finished_) return;  // a Finish never sent: close as a normal stop
        Event e = make(Event::Type::Finish);
        e.reason = sawToolCall_ ? FinishReason::ToolCalls : FinishReason::Stop;
        out.push_back(std::move(e));
        finished_ = true;
    }

private:
    static Event make(Event::Type type) {
        Event e;
        e.type = type;
        return e;
    }

    static Event errorEvent(std::string message, int status) {
        Event e = make(Event::Type::Error);
        e.text = std::move(message);
        e.index = status;
        return e;
    }

    void emitUsage(std::vector<Event>& out) {
        Event e = make(Event::Type::Usage);
        e.usage = usageFromClaude(usage_);
        out.push_back(std::move(e));
    }

    /// Later usage objects update only the fields they carry (message_delta
    /// usually has output_tokens alone).
    void mergeUsage(const Value* usage, std::vector<Event>& out) {
        if (!usage || !usage->isObject()) return;
        for (const auto& [key, value] : usage->asObject())
            if (value.isNumber()) usage_.set(key, value);
        emitUsage(out);
    }

    void messageStart(const Value& v, std::vector<Event>& out) {
        const Value* message = member(v, "message");
        if (!message) return;
        started_ = true;
        Event e = make(Event::Type::Start);
        e.id = stringMember(*message, "id");
        e.model = stringMember(*message, "model");
        out.push_back(std::move(e));
        mergeUsage(member(*message, "usage"), out);
    }

    void blockStart(const Value& v, std::vector<Event>& out) {
        started_ = true;
        const Value* block = member(v, "content_block");
        if (!block) return;
        const std::string type = stringMember(*block, "type");
        if (type == "text") {
            emit(out, Event::Type::TextDelta, stringMember(*block, "text"));
        } else if (type == "thinking") {
            emit(out, Event::Type::ThinkingDelta, stringMember(*block, "thinking"));
            emit(out, Event::Type::ThinkingSignature, stringMember(*block, "signature"));
        } else if (type == "tool_use") {
            toolStart(*block, intMember(v, "index").value_or(0), out);
        }
        // redacted_thinking and server tool blocks have no event form.
    }

    void toolStart(const Value& block, std::int64_t blockIndex, std::vector<Event>& out) {
        sawToolCall_ = true;
        const int call = tools_++;
        blockTool_[blockIndex] = call;
        Event e = make(Event::Type::ToolCallStart);
        e.index = call;
        e.callId = stringMember(block, "id");
        if (e.callId.empty()) e.callId = randomId("call_");
        e.name = exchange_.clientToolName(stringMember(block, "name"));
        out.push_back(std::move(e));
        // Some upstreams put the whole input in the start block.
        if (const Value* input = member(block, "input"); input && input->isObject() && input->size() > 0)
            emitToolDelta(out, call, cpa::sdk::toJson(*input));
    }

    void blockDelta(const Value& v, std::vector<Event>& out) {
        const Value* delta = member(v, "delta");
        if (!delta) return;
        const std::string type = stringMember(*delta, "type");
        if (type == "text_delta") emit(out, Event::Type::TextDelta, stringMember(*delta, "text"));
        else if (type == "thinking_delta") emit(out, Event::Type::ThinkingDelta, stringMember(*delta, "thinking"));
        else if (type == "signature_delta") emit(out, Event::Type::ThinkingSignature, stringMember(*delta, "signature"));
        else if (type == "input_json_delta") {
            const auto it = blockTool_.find(intMember(v, "index").value_or(0));
            if (it != blockTool_.end()) emitToolDelta(out, it->second, stringMember(*delta, "partial_json"));
        }
    }

    void messageDelta(const Value& v, std::vector<Event>& out) {
        const Value* delta = member(v, "delta");
        const std::string stop = delta ? stringMember(*delta, "stop_reason") : std::string();
        if (!stop.empty()) {
            Event e = make(Event::Type::Finish);
            e.reason = finishFromStopReason(stop);
            e.stopSequence = stringMember(*delta, "stop_sequence");
            out.push_back(std::move(e));
            finished_ = true;
        }
        mergeUsage(member(v, "usage"), out);
    }

    void upstreamError(const Value& v, std::vector<Event>& out) {
        const Value* err = member(v, "error");
        const std::string message = err ? stringMember(*err, "message") : std::string();
        const std::string kind = err ? kindFromErrorType(stringMember(*err, "type")) : std::string();
        out.push_back(errorEvent(message.empty() ? "upstream stream error" : message, statusForKind(kind)));
    }

    static void emit(std::vector<Event>& out, Event::Type type, std::string text) {
        if (text.empty()) return;
        Event e = make(type);
        e.text = std::move(text);
        out.push_back(std::move(e));
    }

    static void emitToolDelta(std::vector<Event>& out, int call, std::string json) {
        if (json.empty()) return;
        Event e = make(Event::Type::ToolCallDelta);
        e.index = call;
        e.text = std::move(json);
        out.push_back(std::move(e));
    }

    const Exchange& exchange_;
    Value usage_ = Value::object();  // the Claude usage fields seen so far
    std::map<std::int64_t, int> blockTool_;  // content block index → tool call index
    int tools_{0};
    bool started_{}, finished_{}, sawToolCall_{};
};

}  // namespace

std::unique_ptr<StreamDecoder> makeStreamDecoder(const Exchange& exchange) {
    return std::make_unique<ClaudeStreamDecoder>(exchange);
}

}  // namespace cpa::proxy::translate::claude
