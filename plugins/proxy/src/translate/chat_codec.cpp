// The OpenAI Chat Completions codec: client side (/v1/chat/completions) and
// provider side (openai-compatibility upstreams). Each direction lives in
// its own chat_*.cpp file; this class only wires them to the Codec seam.
#include "translate/chat_internal.hpp"
#include "translate/codecs.hpp"

namespace cpa::proxy::translate {

namespace {

class ChatCodec final : public Codec {
public:
    Format format() const noexcept override { return Format::OpenAIChat; }

    Conversation decodeRequest(const cpa::sdk::Value& body, const std::string& model, bool stream) const override {
        return chat::decodeRequest(body, model, stream);
    }
    std::string encodeReply(const Reply& reply, const Exchange& exchange) const override {
        return chat::encodeReply(reply, exchange);
    }
    std::unique_ptr<StreamEncoder> streamEncoder(const Exchange& exchange) const override {
        return chat::makeStreamEncoder(exchange);
    }
    std::string encodeError(const ErrorInfo& error) const override { return chat::encodeError(error); }
    // Chat Completions has no token-count endpoint (docs/spec/translation.md §1.5).
    std::string encodeTokenCount(std::int64_t) const override { return {}; }

    cpa::sdk::Value encodeRequest(const Conversation& request, const EncodeOptions& options,
                                  Exchange&) const override {
        return chat::encodeRequest(request, options);
    }
    Reply decodeReply(const cpa::sdk::Value& body, const Exchange& exchange) const override {
        return chat::decodeReply(body, exchange);
    }
    std::unique_ptr<StreamDecoder> streamDecoder(const Exchange& exchange) const override {
        return chat::makeStreamDecoder(exchange);
    }
    ErrorInfo decodeError(int status, std::string_view body) const override {
        return chat::decodeError(status, body);
    }
    std::int64_t decodeTokenCount(const cpa::sdk::Value&) const override { return -1; }
};

}  // namespace

const Codec& chatCodec() {
    static const ChatCodec codec;
    return codec;
}

}  // namespace cpa::proxy::translate
