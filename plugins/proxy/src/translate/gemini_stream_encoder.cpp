// Canonical events → streamGenerateContent chunks for a Gemini client: one
// GenerateContentResponse per event, framed as SSE or raw (alt mode).
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::gemini {

using cpa::sdk::Value;

namespace {

class GeminiStreamEncoder final : public StreamEncoder {
public:
    explicit GeminiStreamEncoder(const Exchange& exchange) : exchange_(exchange), model_(exchange.clientModel) {}
    void encode(const Event& event, std::string& out) override;
    void finish(std::string& out) override;

private:
    struct OpenCall {
        int index{};
        std::string id, name, arguments, signature;
    };
    void writeContent(Value part, std::string& out);
    void flushCalls(std::string& out);
    /// Every open call's arguments are a whole JSON object (nothing more can follow).
    bool callsComplete() const;
    void callParts(Value& parts);
    void writeFinish(FinishReason reason, std::string& out);
    void write(Value body, std::string& out);

    const Exchange& exchange_;
    std::string id_, model_;
    // Gemini has no argument deltas: a call is sent whole once it is complete
    // (the next call starts, content resumes, or the answer ends).
    std::vector<OpenCall> calls_;
    Usage usage_;
    bool finished_{}, usageAfterFinish_{};
};

Value candidate(Value parts) {
    return Value::object({{"content", Value::object({{"role", "model"}, {"parts", std::move(parts)}})}, {"index", 0}});
}

void GeminiStreamEncoder::encode(const Event& e, std::string& out) {
    switch (e.type) {
        case Event::Type::Start:
            if (!e.id.empty()) id_ = e.id;
            if (model_.empty()) model_ = e.model;
            return;
        case Event::Type::TextDelta:
            if (!e.text.empty()) writeContent(Value::object({{"text", e.text}}), out);
            return;
        case Event::Type::ThinkingDelta:
            if (!e.text.empty()) writeContent(Value::object({{"text", e.text}, {"thought", true}}), out);
            return;
        case Event::Type::ThinkingSignature:
            writeContent(Value::object({{"text", ""}, {"thought", true}, {"thoughtSignature", e.text}}), out);
            return;
        case Event::Type::ToolCallStart:
            // Calls still missing arguments wait beside the new one: upstreams
            // that interleave parallel calls' deltas keep sending them.
            if (callsComplete()) flushCalls(out);
            calls_.push_back({e.index, e.callId, e.name, "", e.signature});
            return;
        case Event::Type::ToolCallDelta:
            for (OpenCall& c : calls_)
                if (c.index == e.index) c.arguments += e.text;
            return;
        case Event::Type::ImageData:
            writeContent(Value::object({{"inlineData", Value::object({{"mimeType", e.name}, {"data", e.text}})}}), out);
            return;
        case Event::Type::Finish: writeFinish(e.reason, out); return;
        case Event::Type::Usage:
            usage_ = e.usage;
            usage_.present = true;
            usageAfterFinish_ = finished_;
            return;
        case Event::Type::Error: return;  // the executor writes the terminal error
    }
}

bool GeminiStreamEncoder::callsComplete() const {
    for (const OpenCall& c : calls_) {
        try {
            if (!cpa::sdk::parseJson(c.arguments).isObject()) return false;
        } catch (const std::exception&) {
            return false;
        }
    }
    return true;
}

void GeminiStreamEncoder::writeContent(Value part, std::string& out) {
    flushCalls(out);
    write(Value::object({{"candidates", Value(Value::Array{candidate(Value(Value::Array{std::move(part)}))})}}), out);
}

void GeminiStreamEncoder::callParts(Value& parts) {
    for (const OpenCall& c : calls_) {
        Value call = Value::object({{"name", c.name}, {"args", argumentsObject(c.arguments)}});
        if (!c.id.empty()) call.set("id", c.id);
        Value part = Value::object({{"functionCall", std::move(call)}});
        if (!c.signature.empty()) part.set("thoughtSignature", c.signature);
        parts.push(std::move(part));
    }
    calls_.clear();
}

void GeminiStreamEncoder::flushCalls(std::string& out) {
    if (calls_.empty()) return;
    Value parts = Value::array();
    callParts(parts);
    write(Value::object({{"candidates", Value(Value::Array{candidate(std::move(parts))})}}), out);
}

/// The last chunk: the calls still open, finishReason and the usage known so far.
void GeminiStreamEncoder::writeFinish(FinishReason reason, std::string& out) {
    if (finished_) return;
    finished_ = true;
    Value parts = Value::array();
    callParts(parts);
    if (parts.size() == 0) parts.push(Value::object({{"text", ""}}));  // as Gemini's own last chunks
    Value cand = candidate(std::move(parts));
    cand.set("finishReason", finishToGemini(reason));
    Value body = Value::object({{"candidates", Value(Value::Array{std::move(cand)})}});
    if (usage_.present) body.set("usageMetadata", usageToGemini(usage_));
    write(std::move(body), out);
}

void GeminiStreamEncoder::write(Value body, std::string& out) {
    if (id_.empty()) id_ = randomId("", 24);
    body.set("modelVersion", model_);
    body.set("responseId", id_);
    const std::string json = cpa::sdk::toJson(body);
    if (exchange_.geminiAltMode) out += json;
    else appendSse(out, "", json);
}

void GeminiStreamEncoder::finish(std::string& out) {
    if (!finished_) {
        writeFinish(FinishReason::Stop, out);
        return;
    }
    if (usageAfterFinish_) {  // usage that came after the finish chunk: one more chunk
        usageAfterFinish_ = false;
        write(Value::object({{"usageMetadata", usageToGemini(usage_)}}), out);
    }
}

}  // namespace

std::unique_ptr<StreamEncoder> makeStreamEncoder(const Exchange& exchange) {
    return std::make_unique<GeminiStreamEncoder>(exchange);
}

}  // namespace cpa::proxy::translate::gemini
