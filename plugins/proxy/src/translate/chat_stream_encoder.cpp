// Canonical events → chat.completion.chunk frames for the client, written as
// each event arrives (docs/spec/translation.md §1.6: `data: <json>\n\n`, then
// `data: [DONE]\n\n`).
#include "translate/chat_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::chat {

namespace {

using cpa::sdk::Value;

class ChatStreamEncoder final : public StreamEncoder {
public:
    explicit ChatStreamEncoder(const Exchange& ex) : model_(ex.clientModel) {}

    void encode(const Event& e, std::string& out) override {
        switch (e.type) {
            case Event::Type::Start: start(e, out); break;
            case Event::Type::TextDelta:
                if (!e.text.empty()) delta(out, Value::object({{"content", e.text}}));
                break;
            case Event::Type::ThinkingDelta:
                if (!e.text.empty()) delta(out, Value::object({{"reasoning_content", e.text}}));
                break;
            case Event::Type::ToolCallStart: toolCallStart(e, out); break;
            case Event::Type::ToolCallDelta:
                if (!e.text.empty()) toolCallDelta(e, out);
                break;
            case Event::Type::ImageData: image(e, out); break;
            case Event::Type::Finish: finishReason(e.reason, out); break;
            case Event::Type::Usage: usage_ = e.usage; break;  // one usage chunk, before [DONE]
            case Event::Type::ThinkingSignature:  // chat has no place for signatures
            case Event::Type::Error: break;       // the executor writes the terminal error
        }
    }

    void finish(std::string& out) override {
        if (!finished_) finishReason(FinishReason::Stop, out);
        if (usage_.present) {
            // As OpenAI's include_usage: an empty `choices` and the usage.
            Value chunk = envelope();
            chunk.set("choices", Value::array());
            chunk.set("usage", encodeUsage(usage_));
            appendSse(out, {}, cpa::sdk::toJson(chunk));
        }
        out += "data: [DONE]\n\n";
    }

private:
    Value envelope() {
        if (id_.empty()) id_ = randomId("chatcmpl-");
        if (!created_) created_ = nowSeconds();
        return Value::object({{"id", id_}, {"object", "chat.completion.chunk"}, {"created", created_}, {"model", model_}});
    }

    /// One chunk with `delta` (the first one also carries the role).
    void write(std::string& out, Value delta, Value finishReason = Value()) {
        if (!roleSent_) {
            Value withRole = Value::object({{"role", "assistant"}});
            for (auto& [k, v] : delta.asObject()) withRole.set(k, std::move(v));
            delta = std::move(withRole);
            roleSent_ = true;
        }
        Value choice = Value::object({{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", std::move(finishReason)}});
        Value chunk = envelope();
        chunk.set("choices", Value(Value::Array{std::move(choice)}));
        appendSse(out, {}, cpa::sdk::toJson(chunk));
    }

    void delta(std::string& out, Value d) { write(out, std::move(d)); }

    void start(const Event& e, std::string& out) {
        if (roleSent_) return;
        if (!e.id.empty() && id_.empty()) id_ = e.id;
        if (model_.empty()) model_ = e.model;
        write(out, Value::object({{"content", ""}}));
    }

    void toolCallStart(const Event& e, std::string& out) {
        sawToolCall_ = true;
        Value call = Value::object({{"index", e.index},
                                    {"id", e.callId},
                                    {"type", "function"},
                                    {"function", Value::object({{"name", e.name}, {"arguments", ""}})}});
        delta(out, Value::object({{"tool_calls", Value(Value::Array{std::move(call)})}}));
    }

    void toolCallDelta(const Event& e, std::string& out) {
        Value call = Value::object({{"index", e.index}, {"function", Value::object({{"arguments", e.text}})}});
        delta(out, Value::object({{"tool_calls", Value(Value::Array{std::move(call)})}}));
    }

    void image(const Event& e, std::string& out) {
        Value img = Value::object({{"type", "image_url"},
                                   {"image_url", Value::object({{"url", makeDataUrl(e.name, e.text)}})},
                                   {"index", imageCount_++}});
        delta(out, Value::object({{"images", Value(Value::Array{std::move(img)})}}));
    }

    void finishReason(FinishReason reason, std::string& out) {
        if (finished_) return;
        finished_ = true;
        write(out, Value::object(), finishReasonName(reason, sawToolCall_));
    }

    std::string model_, id_;
    std::int64_t created_{};
    bool roleSent_{}, finished_{}, sawToolCall_{};
    int imageCount_{};
    Usage usage_;
};

}  // namespace

std::unique_ptr<StreamEncoder> makeStreamEncoder(const Exchange& ex) { return std::make_unique<ChatStreamEncoder>(ex); }

}  // namespace cpa::proxy::translate::chat
