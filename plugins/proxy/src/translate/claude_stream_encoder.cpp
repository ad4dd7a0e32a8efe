// Canonical events → a Claude client's SSE stream (message_start,
// content_block_* with increasing indexes, message_delta, message_stop).
#include "translate/claude_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

#include <map>

namespace cpa::proxy::translate::claude {

using cpa::sdk::Value;

namespace {

class ClaudeStreamEncoder final : public StreamEncoder {
public:
    explicit ClaudeStreamEncoder(const Exchange& exchange) : clientModel_(exchange.clientModel) {}

    void encode(const Event& e, std::string& out) override {
        if (finished_) return;
        switch (e.type) {
            case Event::Type::Start:
                if (!started_) {
                    id_ = e.id;
                    model_ = e.model;
                }
                start(out);
                break;
            case Event::Type::TextDelta: delta(out, Block::Text, "text_delta", "text", e.text); break;
            case Event::Type::ThinkingDelta: delta(out, Block::Thinking, "thinking_delta", "thinking", e.text); break;
            case Event::Type::ThinkingSignature:
                delta(out, Block::Thinking, "signature_delta", "signature", e.text);
                break;
            case Event::Type::ToolCallStart: toolStart(out, e.index, e.callId, e.name); break;
            case Event::Type::ToolCallDelta: toolDelta(out, e.index, e.text); break;
            case Event::Type::ImageData: image(out, e.name, e.text); break;
            case Event::Type::Finish:
                start(out);
                finish_ = e.reason;
                stopSequence_ = e.stopSequence;
                closeOpen(out);
                break;
            case Event::Type::Usage: usage_ = e.usage; break;  // written by message_start / message_delta
            case Event::Type::Error: break;                     // the executor writes the terminal error
        }
    }

    // Written here, not at Finish, so usage that follows Finish is included;
    // always closes, even an empty answer (translation.md §5.2 L18).
    void finish(std::string& out) override {
        if (finished_) return;
        start(out);
        closeOpen(out);
        const bool withSequence = finish_ == FinishReason::StopSequence && !stopSequence_.empty();
        Value usage = usage_.present ? usageToClaude(usage_) : Value::object({{"output_tokens", 0}});
        frame(out, "message_delta",
              Value::object({{"type", "message_delta"},
                             {"delta", Value::object({{"stop_reason", stopReasonFor(finish_, sawToolCall_)},
                                                      {"stop_sequence", withSequence ? Value(stopSequence_) : Value()}})},
                             {"usage", std::move(usage)}}));
        frame(out, "message_stop", Value::object({{"type", "message_stop"}}));
        finished_ = true;
    }

private:
    enum class Block { None, Text, Thinking, Tool, Image };

    static void frame(std::string& out, std::string_view event, const Value& data) {
        appendSse(out, event, cpa::sdk::toJson(data));
    }

    void start(std::string& out) {
        if (started_) return;
        started_ = true;
        Value message = Value::object({{"id", id_.empty() ? randomId("msg_") : id_},
                                       {"type", "message"},
                                       {"role", "assistant"},
                                       {"model", clientModel_.empty() ? model_ : clientModel_},
                                       {"content", Value::array()},
                                       {"stop_reason", Value()},
                                       {"stop_sequence", Value()},
                                       {"usage", usageToClaude(usage_)}});
        frame(out, "message_start", Value::object({{"type", "message_start"}, {"message", std::move(message)}}));
    }

    void closeOpen(std::string& out) {
        if (open_ == Block::None) return;
        frame(out, "content_block_stop", Value::object({{"type", "content_block_stop"}, {"index", openIndex_}}));
        open_ = Block::None;
    }

    /// Closes what is open and starts a block of a new kind at the next index.
    int openBlock(std::string& out, Block kind, Value block) {
        start(out);
        closeOpen(out);
        open_ = kind;
        openIndex_ = nextIndex_++;
        frame(out, "content_block_start",
              Value::object({{"type", "content_block_start"}, {"index", openIndex_}, {"content_block", std::move(block)}}));
        return openIndex_;
    }

    void blockDelta(std::string& out, int index, Value delta) {
        frame(out, "content_block_delta",
              Value::object({{"type", "content_block_delta"}, {"index", index}, {"delta", std::move(delta)}}));
    }

    void delta(std::string& out, Block kind, const char* deltaType, const char* key, const std::string& text) {
        if (text.empty()) return;
        if (open_ != kind) {
            Value block = kind == Block::Text ? Value::object({{"type", "text"}, {"text", ""}})
                                              : Value::object({{"type", "thinking"}, {"thinking", ""}, {"signature", ""}});
            openBlock(out, kind, std::move(block));
        }
        blockDelta(out, openIndex_, Value::object({{"type", deltaType}, {key, text}}));
    }

    void toolStart(std::string& out, int call, const std::string& callId, const std::string& name) {
        sawToolCall_ = true;
        if (callBlock_.count(call) != 0) return;  // a repeated start of the same call
        callBlock_[call] = openBlock(out, Block::Tool,
                                     Value::object({{"type", "tool_use"},
                                                    {"id", sanitizeToolId(callId)},
                                                    {"name", name},
                                                    {"input", Value::object()}}));
    }

    void toolDelta(std::string& out, int call, const std::string& json) {
        if (callBlock_.find(call) == callBlock_.end()) toolStart(out, call, {}, {});  // arguments before a start
        if (json.empty()) return;
        // A call whose block was closed by another one keeps its own index:
        // clients accumulate input_json_delta by block index.
        blockDelta(out, callBlock_[call], Value::object({{"type", "input_json_delta"}, {"partial_json", json}}));
    }

    void image(std::string& out, const std::string& mimeType, const std::string& base64) {
        Part p;
        p.kind = Part::Kind::Image;
        p.mimeType = mimeType;
        p.data = base64;
        openBlock(out, Block::Image, mediaBlock(p));
        closeOpen(out);
    }

    std::string clientModel_, id_, model_;
    bool started_{}, finished_{}, sawToolCall_{};
    Block open_{Block::None};
    int nextIndex_{0}, openIndex_{-1};
    std::map<int, int> callBlock_;  // canonical call index → content block index
    FinishReason finish_{FinishReason::Unset};
    std::string stopSequence_;
    Usage usage_;
};

}  // namespace

std::unique_ptr<StreamEncoder> makeStreamEncoder(const Exchange& exchange) {
    return std::make_unique<ClaudeStreamEncoder>(exchange);
}

}  // namespace cpa::proxy::translate::claude
