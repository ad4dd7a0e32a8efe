// The Gemini generateContent codec: client format of /v1beta/models/…
// and provider format of the gemini and vertex upstreams. Each method
// delegates to the file that holds it (gemini_*.cpp).
#include "translate/gemini_codec.hpp"

#include "translate/codecs.hpp"

namespace cpa::proxy::translate {

namespace {

class GeminiCodec final : public Codec {
public:
    Format format() const noexcept override { return Format::Gemini; }
    Conversation decodeRequest(const cpa::sdk::Value& body, const std::string& model, bool stream) const override {
        return gemini::decodeRequest(body, model, stream);
    }
    std::string encodeReply(const Reply& reply, const Exchange& exchange) const override {
        return gemini::encodeReply(reply, exchange);
    }
    std::unique_ptr<StreamEncoder> streamEncoder(const Exchange& exchange) const override {
        return gemini::makeStreamEncoder(exchange);
    }
    std::string encodeError(const ErrorInfo& error) const override { return gemini::encodeError(error); }
    std::string encodeTokenCount(std::int64_t tokens) const override { return gemini::encodeTokenCount(tokens); }
    cpa::sdk::Value encodeRequest(const Conversation& request, const EncodeOptions& options,
                                  Exchange& exchange) const override {
        return gemini::encodeRequest(request, options, exchange);
    }
    Reply decodeReply(const cpa::sdk::Value& body, const Exchange& exchange) const override {
        return gemini::decodeReply(body, exchange);
    }
    std::unique_ptr<StreamDecoder> streamDecoder(const Exchange& exchange) const override {
        return gemini::makeStreamDecoder(exchange);
    }
    ErrorInfo decodeError(int status, std::string_view body) const override {
        return gemini::decodeError(status, body);
    }
    std::int64_t decodeTokenCount(const cpa::sdk::Value& body) const override {
        return gemini::decodeTokenCount(body);
    }
};

}  // namespace

const Codec& geminiCodec() {
    static const GeminiCodec codec;
    return codec;
}

}  // namespace cpa::proxy::translate
