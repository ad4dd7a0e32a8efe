// Canonical events → the Responses client stream: `event: <type>` frames
// with an increasing sequence_number, one output item open at a time with
// ascending output_index values, and response.completed (or .incomplete)
// written only by finish() so that usage arriving after Finish is included
// (docs/spec/translation.md §3.4 stream, §5.1 "ResponseCompletedWaitsForDone",
// "MultipleToolCallsRemainSeparate", "FunctionCallDoneAndCompletedOutputStayAscending";
// translation.md §5.2 L11, L13).
#include "translate/common.hpp"
#include "translate/responses_internal.hpp"

#include <cpa/sdk/json.hpp>

#include <map>
#include <vector>

namespace cpa::proxy::translate::responses {

using cpa::sdk::Value;

namespace {

class ResponsesStreamEncoder final : public StreamEncoder {
public:
    explicit ResponsesStreamEncoder(const Exchange& exchange) : exchange_(exchange) {}

    void encode(const Event& e, std::string& out) override {
        if (e.type == Event::Type::Error || done_) return;  // the executor writes terminal errors
        if (e.type == Event::Type::Start) {
            if (!started_) start(out, e.id, e.model);
            return;
        }
        if (!started_) start(out, {}, {});
        switch (e.type) {
            case Event::Type::TextDelta: text(e.text, out); break;
            case Event::Type::ThinkingDelta: thinking(e.text, out); break;
            case Event::Type::ThinkingSignature: signature(e.text, out); break;
            case Event::Type::ToolCallStart: callStart(e.index, e.callId, e.name, out); break;
            case Event::Type::ToolCallDelta: callDelta(e, out); break;
            case Event::Type::ImageData: image(e, out); break;
            case Event::Type::Finish:
                finish_ = e.reason;
                closeOpen(out);
                break;
            case Event::Type::Usage:
                usage_ = e.usage;
                usage_.present = true;
                break;
            default: break;
        }
    }

    void finish(std::string& out) override {
        if (done_) return;
        if (!started_) start(out, {}, {});
        closeOpen(out);
        const std::string_view status = statusFor(finish_);
        emit(out, status == "incomplete" ? "response.incomplete" : "response.completed",
             {{"response", responseObject(id_, created_, model_, status, finish_, output_, &usage_, exchange_)}});
        done_ = true;
    }

private:
    enum class Open { None, Message, Reasoning, Call };
    struct Call {
        int outputIndex{};
        std::string callId, name, arguments;
        std::size_t outputPos{};  // position in output_ once closed
        bool closed{};
    };

    void emit(std::string& out, std::string_view type, Value::Object fields) {
        Value v = Value::object({{"type", std::string(type)}, {"sequence_number", seq_++}});
        for (auto& m : fields) v.asObject().push_back(std::move(m));
        appendSse(out, type, cpa::sdk::toJson(v));
    }

    void start(std::string& out, const std::string& id, const std::string& model) {
        started_ = true;
        id_ = responseIdFrom(id);
        model_ = exchange_.clientModel.empty() ? model : exchange_.clientModel;
        created_ = nowSeconds();
        const Value r = responseObject(id_, created_, model_, "in_progress", FinishReason::Unset, Value::array(),
                                       nullptr, exchange_);
        emit(out, "response.created", {{"response", r}});
        emit(out, "response.in_progress", {{"response", r}});
    }

    /// Opens a message or reasoning item at the next output index.
    void openItem(Open kind, std::string out_itemId, Value item, std::string& out) {
        closeOpen(out);
        open_ = kind;
        itemId_ = std::move(out_itemId);
        openIndex_ = nextIndex_++;
        text_.clear();
        signature_.clear();
        summaryPart_ = false;
        emit(out, "response.output_item.added", {{"output_index", openIndex_}, {"item", std::move(item)}});
    }

    void text(const std::string& delta, std::string& out) {
        if (delta.empty()) return;
        if (open_ != Open::Message) {
            const std::string id = randomId("msg_");
            openItem(Open::Message, id, messageItem(id, "in_progress", ""), out);
            emit(out, "response.content_part.added",
                 {{"item_id", itemId_}, {"output_index", openIndex_}, {"content_index", 0}, {"part", outputTextPart("")}});
        }
        text_ += delta;
        emit(out, "response.output_text.delta", {{"item_id", itemId_},
                                                 {"output_index", openIndex_},
                                                 {"content_index", 0},
                                                 {"delta", delta},
                                                 {"logprobs", Value::array()}});
    }

    void openReasoning(std::string& out) {
        const std::string id = randomId("rs_");
        openItem(Open::Reasoning, id, reasoningItem(id, "", ""), out);
    }

    void thinking(const std::string& delta, std::string& out) {
        if (delta.empty()) return;
        if (open_ != Open::Reasoning) openReasoning(out);
        if (!summaryPart_) {
            summaryPart_ = true;
            emit(out, "response.reasoning_summary_part.added", {{"item_id", itemId_},
                                                                {"output_index", openIndex_},
                                                                {"summary_index", 0},
                                                                {"part", summaryTextPart("")}});
        }
        text_ += delta;
        emit(out, "response.reasoning_summary_text.delta",
             {{"item_id", itemId_}, {"output_index", openIndex_}, {"summary_index", 0}, {"delta", delta}});
    }

    void signature(const std::string& sig, std::string& out) {
        if (open_ != Open::Reasoning) openReasoning(out);  // a signature-only reasoning item
        signature_ = sig;
    }

    Call& callStart(int index, const std::string& callId, const std::string& name, std::string& out) {
        if (auto it = calls_.find(index); it != calls_.end()) return it->second;
        // Calls whose arguments are still incomplete stay open beside the new
        // one: upstreams that interleave parallel calls' deltas keep sending them.
        if (open_ != Open::Call || openCallsComplete()) closeOpen(out);
        Call& c = calls_[index];
        c.outputIndex = nextIndex_++;
        c.callId = callId.empty() ? randomId("call_") : callId;
        c.name = name;
        open_ = Open::Call;
        openCalls_.push_back(index);
        emit(out, "response.output_item.added",
             {{"output_index", c.outputIndex}, {"item", functionCallItem("in_progress", c.callId, c.name, "")}});
        return c;
    }

    void callDelta(const Event& e, std::string& out) {
        if (e.text.empty()) return;
        Call& c = callStart(e.index, {}, {}, out);  // a delta without its start opens the call
        c.arguments += e.text;
        if (c.closed) {
            // Another item was started meanwhile: the done events are out, but
            // the final response.completed still carries the whole arguments.
            output_.asArray()[c.outputPos].set("arguments", c.arguments);
            return;
        }
        emit(out, "response.function_call_arguments.delta",
             {{"item_id", "fc_" + c.callId}, {"output_index", c.outputIndex}, {"delta", e.text}});
    }

    void image(const Event& e, std::string& out) {
        closeOpen(out);
        Part p;
        p.kind = Part::Kind::Image;
        p.mimeType = e.name;
        p.data = e.text;
        const std::string id = randomId("ig_");
        const int index = nextIndex_++;
        emit(out, "response.output_item.added", {{"output_index", index}, {"item", imageItem(id, "in_progress", nullptr)}});
        Value item = imageItem(id, "completed", &p);
        emit(out, "response.output_item.done", {{"output_index", index}, {"item", item}});
        output_.push(std::move(item));
    }

    void closeMessage(std::string& out) {
        emit(out, "response.output_text.done", {{"item_id", itemId_},
                                                {"output_index", openIndex_},
                                                {"content_index", 0},
                                                {"text", text_},
                                                {"logprobs", Value::array()}});
        emit(out, "response.content_part.done",
             {{"item_id", itemId_}, {"output_index", openIndex_}, {"content_index", 0}, {"part", outputTextPart(text_)}});
        Value item = messageItem(itemId_, "completed", text_);
        emit(out, "response.output_item.done", {{"output_index", openIndex_}, {"item", item}});
        output_.push(std::move(item));
    }

    void closeReasoning(std::string& out) {
        if (summaryPart_) {
            emit(out, "response.reasoning_summary_text.done",
                 {{"item_id", itemId_}, {"output_index", openIndex_}, {"summary_index", 0}, {"text", text_}});
            emit(out, "response.reasoning_summary_part.done", {{"item_id", itemId_},
                                                               {"output_index", openIndex_},
                                                               {"summary_index", 0},
                                                               {"part", summaryTextPart(text_)}});
        }
        Value item = reasoningItem(itemId_, text_, signature_);
        emit(out, "response.output_item.done", {{"output_index", openIndex_}, {"item", item}});
        output_.push(std::move(item));
    }

    /// Every open call's arguments are a whole JSON object (nothing more can follow).
    bool openCallsComplete() const {
        for (int index : openCalls_) {
            const std::string& a = calls_.at(index).arguments;
            try {
                if (!cpa::sdk::parseJson(a).isObject()) return false;
            } catch (const std::exception&) {
                return false;
            }
        }
        return true;
    }

    /// Closes the open calls in output_index order (the order they were opened).
    void closeCalls(std::string& out) {
        for (int index : openCalls_) {
            Call& c = calls_[index];
            if (c.arguments.empty()) c.arguments = "{}";
            emit(out, "response.function_call_arguments.done",
                 {{"item_id", "fc_" + c.callId}, {"output_index", c.outputIndex}, {"arguments", c.arguments}});
            Value item = functionCallItem("completed", c.callId, c.name, c.arguments);
            emit(out, "response.output_item.done", {{"output_index", c.outputIndex}, {"item", item}});
            c.outputPos = output_.size();
            c.closed = true;
            output_.push(std::move(item));
        }
        openCalls_.clear();
    }

    void closeOpen(std::string& out) {
        switch (open_) {
            case Open::None: return;
            case Open::Message: closeMessage(out); break;
            case Open::Reasoning: closeReasoning(out); break;
            case Open::Call: closeCalls(out); break;
        }
        open_ = Open::None;
    }

    const Exchange& exchange_;
    bool started_{}, done_{};
    std::int64_t seq_{};
    std::string id_, model_;
    std::int64_t created_{};
    Value output_ = Value::array();  // closed items, in output_index order
    int nextIndex_{};
    Open open_{Open::None};
    int openIndex_{-1};
    std::string itemId_, text_, signature_;  // the open message / reasoning item
    bool summaryPart_{};
    std::map<int, Call> calls_;  // by the canonical call index
    std::vector<int> openCalls_;  // canonical indexes of the open calls, in output_index order
    FinishReason finish_{FinishReason::Unset};
    Usage usage_;
};

}  // namespace

std::unique_ptr<StreamEncoder> makeStreamEncoder(const Exchange& exchange) {
    return std::make_unique<ResponsesStreamEncoder>(exchange);
}

}  // namespace cpa::proxy::translate::responses
