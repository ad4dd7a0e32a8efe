#pragma once
// Internals of the OpenAI Responses codec (client /v1/responses and the
// codex provider), shared between its files: responses_request_decode.cpp,
// responses_request_encode.cpp, responses_reply.cpp, responses_stream_*.cpp,
// responses_errors.cpp, responses_shapes.cpp.
#include "translate/codec.hpp"

#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <map>
#include <vector>
#include <memory>
#include <string>
#include <string_view>

namespace cpa::proxy::translate::responses {

// --- client side ---
Conversation decodeRequest(const cpa::sdk::Value& body, const std::string& model, bool stream);
std::string encodeReply(const Reply& reply, const Exchange& exchange);
std::unique_ptr<StreamEncoder> makeStreamEncoder(const Exchange& exchange);
std::string encodeError(const ErrorInfo& error);

// --- provider side ---
cpa::sdk::Value encodeRequest(const Conversation& request, const EncodeOptions& options, Exchange& exchange);
Reply decodeReply(const cpa::sdk::Value& body, const Exchange& exchange);
std::unique_ptr<StreamDecoder> makeStreamDecoder(const Exchange& exchange);
ErrorInfo decodeError(int status, std::string_view body);

// --- shapes shared by the reply and the stream encoder (responses_shapes.cpp) ---

/// The `usage` object of a Responses answer (canonical usage already counts
/// cached tokens in input and reasoning in output, as Responses does).
cpa::sdk::Value usageJson(const Usage& usage);
/// The `response` object around `output`: id, object, created_at, status,
/// incomplete_details, model, the client's request echoed, output, usage.
/// `status` is "in_progress", "completed" or "incomplete" (Length /
/// ContentFilter, docs/spec/translation.md §5.2 L11).
cpa::sdk::Value responseObject(const std::string& id, std::int64_t createdAt, const std::string& model,
                               std::string_view status, FinishReason finish, cpa::sdk::Value output,
                               const Usage* usage, const Exchange& exchange);
/// "completed" or "incomplete" for a finish reason.
std::string_view statusFor(FinishReason finish);

cpa::sdk::Value messageItem(const std::string& id, std::string_view status, const std::string& text);
cpa::sdk::Value outputTextPart(const std::string& text);
cpa::sdk::Value reasoningItem(const std::string& id, const std::string& text, const std::string& signature);
cpa::sdk::Value summaryTextPart(const std::string& text);
cpa::sdk::Value functionCallItem(std::string_view status, const std::string& callId, const std::string& name,
                                 const std::string& arguments);
cpa::sdk::Value imageItem(const std::string& id, std::string_view status, const Part* image);

/// The `output_format` of an image generation call for a MIME type, and back.
std::string imageFormatFor(std::string_view mimeType);
std::string mimeForImageFormat(std::string_view format);

/// A Responses response id: the upstream's when it already is one, else a new one.
std::string responseIdFrom(const std::string& upstreamId);

// --- request pieces shared by the codex request and the client echo (responses_tools.cpp) ---

/// `tools` in Responses shape. `upstream` = for a provider: a built-in without
/// a Responses equivalent throws TranslateError; for the echo it is written as
/// {"type":<kind>}.
cpa::sdk::Value toolsJson(const std::vector<ToolDecl>& tools, const std::map<std::string, std::string, std::less<>>* shortNames,
                          bool upstream);
/// `tool_choice` (null Value when unset).
cpa::sdk::Value toolChoiceJson(const Conversation& request, const std::map<std::string, std::string, std::less<>>* shortNames);
/// `reasoning` for the echo / the upstream (null Value when nothing to say).
cpa::sdk::Value reasoningJson(const Reasoning& reasoning, bool upstream);
/// `text` with `format` (null Value when unset).
cpa::sdk::Value textJson(const ResponseFormat& format);
/// Codex's 64-character tool-name limit (docs/spec/translation.md §2.6):
/// declared names → unique short names.
std::map<std::string, std::string, std::less<>> shortNameMap(const std::vector<ToolDecl>& tools);
std::string shortenName(const std::string& name);
/// System parts as one instructions text (texts joined by blank lines).
std::string instructionsText(const std::vector<Part>& system);

// --- shared by the reply and stream decoders (responses_reply.cpp) ---

/// A Responses `usage` object → canonical (nullopt-like: present=false when absent).
Usage usageFrom(const cpa::sdk::Value* usage);
/// The finish reason of a finished `response` object; `sawToolCall` wins
/// (docs/spec/translation.md §2.11 "Codex → Claude").
FinishReason finishFrom(const cpa::sdk::Value& response, bool sawToolCall, std::string& stopSequence);
/// The summary texts of a reasoning item joined by blank lines (else its content texts).
std::string reasoningText(const cpa::sdk::Value& item);
/// The parts of a `response` object's output items (function-call names mapped
/// back to the client's); true when any is a function call. `refusal` is set
/// when a message carried a refusal.
bool outputParts(const cpa::sdk::Value& response, const Exchange& exchange, std::vector<Part>& parts, bool& refusal);
/// All output_text (and refusal) texts of a message item, concatenated.
std::string messageText(const cpa::sdk::Value& item, bool* refusal = nullptr);

}  // namespace cpa::proxy::translate::responses
