#pragma once
// The Gemini generateContent codec's pieces (one file each, gemini_*.cpp),
// shared between them; gemini_codec.cpp assembles the Codec.
#include "translate/codec.hpp"

#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::proxy::translate::gemini {

/// Member `camel` or, when absent, `snake` (Gemini clients use both
/// spellings: docs/spec/translation.md §5.2 L7).
const cpa::sdk::Value* field(const cpa::sdk::Value& v, std::string_view camel, std::string_view snake);
std::string stringField(const cpa::sdk::Value& v, std::string_view camel, std::string_view snake);

// --- client side ---
Conversation decodeRequest(const cpa::sdk::Value& body, const std::string& model, bool stream);
std::string encodeReply(const Reply& reply, const Exchange& exchange);
std::unique_ptr<StreamEncoder> makeStreamEncoder(const Exchange& exchange);
std::string encodeError(const ErrorInfo& error);
std::string encodeTokenCount(std::int64_t tokens);

// --- provider side ---
cpa::sdk::Value encodeRequest(const Conversation& request, const EncodeOptions& options, Exchange& exchange);
Reply decodeReply(const cpa::sdk::Value& body, const Exchange& exchange);
std::unique_ptr<StreamDecoder> makeStreamDecoder(const Exchange& exchange);
ErrorInfo decodeError(int status, std::string_view body);
std::int64_t decodeTokenCount(const cpa::sdk::Value& body);

// --- shared mappings (gemini_mapping.cpp) ---
FinishReason finishFromGemini(std::string_view reason);
std::string finishToGemini(FinishReason reason);
/// usageMetadata → canonical (candidatesTokenCount excludes thoughts: added back).
Usage usageFromGemini(const cpa::sdk::Value& usageMetadata);
/// canonical → usageMetadata (thoughts subtracted from candidatesTokenCount).
cpa::sdk::Value usageToGemini(const Usage& usage);
/// A `{"response": {…}}` envelope (Code Assist) → its content; else `body`.
const cpa::sdk::Value& unwrapResponse(const cpa::sdk::Value& body);
/// Gemini's sentinel that disables thought-signature validation (translation.md §2.9).
inline constexpr std::string_view kSkipSignature = "skip_thought_signature_validator";

// --- parts shared by request and answer decoding (gemini_parts.cpp) ---
/// A MIME type guessed from a URL's extension; "" when unknown.
std::string mimeFromExtension(std::string_view url);
/// inlineData / fileData → Image, Audio or File; nullopt for other parts.
std::optional<Part> decodeMediaPart(const cpa::sdk::Value& part, const std::string& path);
/// executableCode / codeExecutionResult (the code-execution tool's output)
/// rendered as a Markdown block on its own lines; nullopt for other parts.
std::optional<std::string> codeExecutionText(const cpa::sdk::Value& part);
/// functionCall.args → arguments JSON text of an object ("{}" when none).
std::string argumentsText(const cpa::sdk::Value* args);
/// functionResponse.response (and .parts) → ToolResult content / isError.
void decodeResponseContent(const cpa::sdk::Value& functionResponse, Part& result);

// --- request options, provider side (gemini_request_encode_options.cpp) ---
class ToolNames;
/// Function declarations (one entry) then the built-ins; a built-in Gemini
/// has no equivalent for → TranslateError.
cpa::sdk::Value encodeTools(const std::vector<ToolDecl>& tools, ToolNames& names);
/// toolConfig, or null when the choice is unset.
cpa::sdk::Value encodeToolConfig(const ToolChoice& choice, ToolNames& names);
cpa::sdk::Value encodeGenerationConfig(const Conversation& conv);

// --- request options, client side (gemini_request_options.cpp) ---
std::vector<ToolDecl> decodeTools(const cpa::sdk::Value& tools);
ToolChoice decodeToolConfig(const cpa::sdk::Value& toolConfig);
void decodeGenerationConfig(const cpa::sdk::Value& config, Conversation& conv);

}  // namespace cpa::proxy::translate::gemini
