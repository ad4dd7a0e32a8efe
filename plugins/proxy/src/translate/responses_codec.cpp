// The OpenAI Responses codec: the client format of /v1/responses and the
// provider format of codex (the ChatGPT backend's Responses API). Codex-only
// edits (store:false, include, instructions default, image tool) are the
// request builder's (upstream/build_codex.cpp); this codec writes a standard
// Responses body. The work lives in responses_*.cpp (responses_internal.hpp).
#include "translate/codecs.hpp"
#include "translate/responses_internal.hpp"

namespace cpa::proxy::translate {

namespace {

class ResponsesCodec final : public Codec {
public:
    Format format() const noexcept override { return Format::Responses; }

    Conversation decodeRequest(const cpa::sdk::Value& body, const std::string& model, bool stream) const override {
        return responses::decodeRequest(body, model, stream);
    }
    std::string encodeReply(const Reply& reply, const Exchange& exchange) const override {
        return responses::encodeReply(reply, exchange);
    }
    std::unique_ptr<StreamEncoder> streamEncoder(const Exchange& exchange) const override {
        return responses::makeStreamEncoder(exchange);
    }
    std::string encodeError(const ErrorInfo& error) const override { return responses::encodeError(error); }
    // Responses has no token-count endpoint (docs/spec/translation.md §1.5).
    std::string encodeTokenCount(std::int64_t) const override { return {}; }

    cpa::sdk::Value encodeRequest(const Conversation& request, const EncodeOptions& options,
                                  Exchange& exchange) const override {
        return responses::encodeRequest(request, options, exchange);
    }
    Reply decodeReply(const cpa::sdk::Value& body, const Exchange& exchange) const override {
        return responses::decodeReply(body, exchange);
    }
    std::unique_ptr<StreamDecoder> streamDecoder(const Exchange& exchange) const override {
        return responses::makeStreamDecoder(exchange);
    }
    ErrorInfo decodeError(int status, std::string_view body) const override {
        return responses::decodeError(status, body);
    }
    std::int64_t decodeTokenCount(const cpa::sdk::Value&) const override { return -1; }
};

}  // namespace

const Codec& responsesCodec() {
    static const ResponsesCodec codec;
    return codec;
}

}  // namespace cpa::proxy::translate
