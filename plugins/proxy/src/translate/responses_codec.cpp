// Skeleton: replaced by the Responses codec's implementation.
#include "translate/codecs.hpp"

namespace cpa::proxy::translate {

namespace {

[[noreturn]] void missing() { throw TranslateError("the Responses translator is not built yet"); }

class ResponsesCodec final : public Codec {
public:
    Format format() const noexcept override { return Format::Responses; }
    Conversation decodeRequest(const cpa::sdk::Value&, const std::string&, bool) const override { missing(); }
    std::string encodeReply(const Reply&, const Exchange&) const override { missing(); }
    std::unique_ptr<StreamEncoder> streamEncoder(const Exchange&) const override { missing(); }
    std::string encodeError(const ErrorInfo&) const override { missing(); }
    std::string encodeTokenCount(std::int64_t) const override { return {}; }
    cpa::sdk::Value encodeRequest(const Conversation&, const EncodeOptions&, Exchange&) const override { missing(); }
    Reply decodeReply(const cpa::sdk::Value&, const Exchange&) const override { missing(); }
    std::unique_ptr<StreamDecoder> streamDecoder(const Exchange&) const override { missing(); }
    ErrorInfo decodeError(int status, std::string_view) const override { return ErrorInfo{status, {}, {}}; }
    std::int64_t decodeTokenCount(const cpa::sdk::Value&) const override { return -1; }
};

}  // namespace

const Codec& responsesCodec() {
    static const ResponsesCodec codec;
    return codec;
}

}  // namespace cpa::proxy::translate
