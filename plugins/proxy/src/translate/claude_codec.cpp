// The Claude Messages codec: wires the pieces of claude_*.cpp into a Codec.
#include "translate/claude_internal.hpp"
#include "translate/codecs.hpp"

namespace cpa::proxy::translate {

namespace {

class ClaudeCodec final : public Codec {
public:
    Format format() const noexcept override { return Format::Claude; }

    Conversation decodeRequest(const cpa::sdk::Value& body, const std::string&, bool) const override {
        return claude::decodeRequest(body);  // model and stream travel in the body
    }
    std::string encodeReply(const Reply& reply, const Exchange& exchange) const override {
        return claude::encodeReply(reply, exchange);
    }
    std::unique_ptr<StreamEncoder> streamEncoder(const Exchange& exchange) const override {
        return claude::makeStreamEncoder(exchange);
    }
    std::string encodeError(const ErrorInfo& error) const override { return claude::encodeError(error); }
    std::string encodeTokenCount(std::int64_t tokens) const override { return claude::encodeTokenCount(tokens); }

    cpa::sdk::Value encodeRequest(const Conversation& request, const EncodeOptions& options,
                                  Exchange& exchange) const override {
        return claude::encodeRequest(request, options, exchange);
    }
    Reply decodeReply(const cpa::sdk::Value& body, const Exchange& exchange) const override {
        return claude::decodeReply(body, exchange);
    }
    std::unique_ptr<StreamDecoder> streamDecoder(const Exchange& exchange) const override {
        return claude::makeStreamDecoder(exchange);
    }
    ErrorInfo decodeError(int status, std::string_view body) const override {
        return claude::decodeError(status, body);
    }
    std::int64_t decodeTokenCount(const cpa::sdk::Value& body) const override {
        return claude::decodeTokenCount(body);
    }
};

}  // namespace

const Codec& claudeCodec() {
    static const ClaudeCodec codec;
    return codec;
}

}  // namespace cpa::proxy::translate
