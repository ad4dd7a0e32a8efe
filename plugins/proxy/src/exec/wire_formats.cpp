#include "exec/executor.hpp"

#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/token_source.hpp>

namespace cpa::proxy {

std::string_view builderWire(std::string_view wire) {
    if (wire == sdk::wire::kOAuthClaude) return sdk::wire::kClaudeMessages;
    if (wire == sdk::wire::kOAuthCodex) return sdk::wire::kCodexResponses;
    if (wire == oauth_wire::kGeminiCli) return oauth_wire::kCodeAssistBuilder;
    if (wire == oauth_wire::kKimi) return oauth_wire::kKimiBuilder;
    if (wire == oauth_wire::kAntigravity) return oauth_wire::kAntigravityBuilder;
    return wire;
}

bool isOAuthWire(std::string_view wire) {
    return wire == sdk::wire::kOAuthClaude || wire == sdk::wire::kOAuthCodex || wire == oauth_wire::kGeminiCli ||
           wire == oauth_wire::kKimi || wire == oauth_wire::kAntigravity;
}

bool wireServesFormat(std::string_view wireName, ClientFormat format) {
    const std::string_view wire = builderWire(wireName);
    switch (format) {
        case ClientFormat::OpenAIChat:
        case ClientFormat::OpenAICompletions:
            return wire == sdk::wire::kOpenAIChat || wire == oauth_wire::kKimiBuilder;
        case ClientFormat::Responses:
        case ClientFormat::ResponsesCompact:
            return wire == sdk::wire::kCodexResponses;
        case ClientFormat::Claude:
        case ClientFormat::ClaudeCountTokens:
            return wire == sdk::wire::kClaudeMessages;
        case ClientFormat::Gemini:
            return wire == sdk::wire::kGemini || wire == sdk::wire::kVertex || wire == oauth_wire::kCodeAssistBuilder ||
                   wire == oauth_wire::kAntigravityBuilder;
    }
    return false;
}

}  // namespace cpa::proxy
