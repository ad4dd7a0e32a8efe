#include "translate/codecs.hpp"

namespace cpa::proxy::translate {

std::string_view formatName(Format f) noexcept {
    switch (f) {
        case Format::OpenAIChat: return "openai";
        case Format::Responses: return "openai-response";
        case Format::Claude: return "claude";
        case Format::Gemini: return "gemini";
    }
    return "unknown";
}

const Codec& codecFor(Format format) {
    switch (format) {
        case Format::OpenAIChat: return chatCodec();
        case Format::Responses: return responsesCodec();
        case Format::Claude: return claudeCodec();
        case Format::Gemini: return geminiCodec();
    }
    return chatCodec();
}

}  // namespace cpa::proxy::translate
