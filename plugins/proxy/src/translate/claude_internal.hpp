#pragma once
// The Claude Messages codec's pieces, one file each (claude_*.cpp); the
// Codec class in claude_codec.cpp only wires them together.
#include "translate/codec.hpp"

#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::proxy::translate::claude {

// --- client side ---
Conversation decodeRequest(const cpa::sdk::Value& body);
std::string encodeReply(const Reply& reply, const Exchange& exchange);
std::unique_ptr<StreamEncoder> makeStreamEncoder(const Exchange& exchange);
std::string encodeError(const ErrorInfo& error);
std::string encodeTokenCount(std::int64_t tokens);

/// Parts of decodeRequest kept in claude_request_options.cpp: tools,
/// tool_choice, thinking / effort, structured-output settings.
void decodeTools(const cpa::sdk::Value& body, Conversation& c);
void decodeToolChoice(const cpa::sdk::Value& body, Conversation& c);
void decodeReasoning(const cpa::sdk::Value& body, Conversation& c);
void decodeOutputFormat(const cpa::sdk::Value& body, Conversation& c);

// --- provider side ---
cpa::sdk::Value encodeRequest(const Conversation& request, const EncodeOptions& options, Exchange& exchange);
Reply decodeReply(const cpa::sdk::Value& body, const Exchange& exchange);
std::unique_ptr<StreamDecoder> makeStreamDecoder(const Exchange& exchange);
ErrorInfo decodeError(int status, std::string_view body);
std::int64_t decodeTokenCount(const cpa::sdk::Value& body);

/// Tool names as Claude accepts them ([A-Za-z0-9_-], at most 128 chars);
/// a changed name is recorded in exchange.toolNameBack (sent → original).
class ToolNames {
public:
    explicit ToolNames(Exchange& exchange) : exchange_(exchange) {}
    std::string sent(const std::string& original);

private:
    Exchange& exchange_;
    std::map<std::string, std::string, std::less<>> byOriginal_;
};
/// Parts of encodeRequest kept in claude_request_tools.cpp.
cpa::sdk::Value encodeTools(const std::vector<ToolDecl>& tools, ToolNames& names);
/// tool_choice for a request whose encoded tools are not empty; null = none to send.
cpa::sdk::Value encodeToolChoice(const ToolChoice& choice, ToolNames& names);
/// The thinking budget to ask for (0 = disabled), nullopt when the request
/// says nothing Claude can act on (docs/spec/translation.md §2.10).
std::optional<std::int64_t> thinkingBudget(const Reasoning& reasoning);

// --- shared between the pieces ---
/// Tool-use ids must match [A-Za-z0-9_-]+ (docs/spec/translation.md §2.7):
/// other characters become `_`, an empty id becomes a fresh `toolu_` id.
std::string sanitizeToolId(std::string_view id);
/// stop_reason → canonical finish (unknown values → Stop).
FinishReason finishFromStopReason(std::string_view stopReason);
/// Canonical finish → stop_reason; any tool call in the answer wins (translation.md §2.11).
std::string stopReasonFor(FinishReason finish, bool sawToolCall);
/// A Claude usage object → canonical (input includes cache reads/creation).
Usage usageFromClaude(const cpa::sdk::Value& usage);
/// Canonical usage → a Claude usage object (input_tokens excludes the cache sub-counts).
cpa::sdk::Value usageToClaude(const Usage& usage);
/// A Claude error `type` → ErrorInfo kind, and kind → type.
std::string kindFromErrorType(std::string_view type);
std::string errorTypeForKind(std::string_view kind);
/// HTTP-like status for an error kind (used for in-stream errors).
int statusForKind(std::string_view kind);
/// The content block of an Image / File part (base64, data URL or url source).
cpa::sdk::Value mediaBlock(const Part& part);

}  // namespace cpa::proxy::translate::claude
