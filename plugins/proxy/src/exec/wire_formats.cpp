#include "exec/executor.hpp"

#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/token_source.hpp>

namespace cpa::proxy {

std::string_view builderWire(std::string_view wire) {
    if (wire == sdk::wire::kOAuthClaude) return sdk::wire::kClaudeMessages;
    if (wire == sdk::wire::kOAuthCodex) return sdk::wire::kCodexResponses;
    return wire;
}

bool isOAuthWire(std::string_view wire) { return wire == sdk::wire::kOAuthClaude || wire == sdk::wire::kOAuthCodex; }

bool wireServesFormat(std::string_view wireName, ClientFormat format) {
    const std::string_view wire = builderWire(wireName);
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
