#include "exec/executor.hpp"

#include <cpa/sdk/credential_sources.hpp>

namespace cpa::proxy {

bool wireServesFormat(std::string_view wire, ClientFormat format) {
    switch (format) {
        case ClientFormat::OpenAIChat:
        case ClientFormat::OpenAICompletions:
            return wire == sdk::wire::kOpenAIChat;
        case ClientFormat::Responses:
        case ClientFormat::ResponsesCompact:
            return wire == sdk::wire::kCodexResponses;
        case ClientFormat::Claude:
        case ClientFormat::ClaudeCountTokens:
            return wire == sdk::wire::kClaudeMessages;
        case ClientFormat::Gemini:
            return wire == sdk::wire::kGemini || wire == sdk::wire::kVertex;
    }
    return false;
}

}  // namespace cpa::proxy
