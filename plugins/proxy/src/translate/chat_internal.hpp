#pragma once
// The OpenAI Chat Completions codec's pieces (chat_*.cpp), shared between
// its files only. The codec class itself is in chat_codec.cpp.
#include "translate/codec.hpp"

#include <cpa/sdk/value.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace cpa::proxy::translate::chat {

// chat_request_decode.cpp — a /v1/chat/completions body → canonical.
Conversation decodeRequest(const cpa::sdk::Value& body, const std::string& model, bool stream);
// chat_request_options.cpp — tools, tool_choice and the scalar options of a chat body.
void decodeTools(const cpa::sdk::Value& body, Conversation& c);
void decodeOptions(const cpa::sdk::Value& body, Conversation& c);
// chat_request_encode.cpp — canonical → a chat body for an OpenAI-compatible upstream.
cpa::sdk::Value encodeRequest(const Conversation& request, const EncodeOptions& options);
// chat_request_options.cpp
void encodeTools(const Conversation& c, cpa::sdk::Value& out);
void encodeOptions(const Conversation& c, cpa::sdk::Value& out);

// chat_reply.cpp — non-stream answers both ways.
std::string encodeReply(const Reply& reply, const Exchange& exchange);
Reply decodeReply(const cpa::sdk::Value& body, const Exchange& exchange);

// chat_usage.cpp — usage and finish reasons, shared by replies and streams.
cpa::sdk::Value encodeUsage(const Usage& usage);
Usage decodeUsage(const cpa::sdk::Value& usage);
std::string finishReasonName(FinishReason reason, bool sawToolCall);
FinishReason parseFinishReason(std::string_view reason);

// chat_stream_encoder.cpp / chat_stream_decoder.cpp
std::unique_ptr<StreamEncoder> makeStreamEncoder(const Exchange& exchange);
std::unique_ptr<StreamDecoder> makeStreamDecoder(const Exchange& exchange);

// chat_errors.cpp
std::string encodeError(const ErrorInfo& error);
ErrorInfo decodeError(int status, std::string_view body);
/// An OpenAI error object's `type` → ErrorInfo kind ("" when unknown).
std::string kindFromErrorType(std::string_view type);
/// An OpenAI error object → an HTTP-like status (from `code` or `type`; 0 when unknown).
int statusFromErrorObject(const cpa::sdk::Value& error);

}  // namespace cpa::proxy::translate::chat
