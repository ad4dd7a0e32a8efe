#pragma once
// One wire format's translator: its requests, answers and streams to and
// from the canonical form (ir.hpp). The executor holds two codecs per
// translated attempt — the client's (decode request, encode answer) and the
// provider's (encode request, decode answer) — and never converts pairwise.
// Codecs are stateless and shared; per-attempt state lives in Exchange and
// in the stream objects.
#include "translate/ir.hpp"

#include <cpa/sdk/value.hpp>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::proxy::translate {

enum class Format {
    OpenAIChat,  ///< Chat Completions (client /v1/chat/completions; openai-compatibility providers)
    Responses,   ///< Responses API (client /v1/responses; the codex provider)
    Claude,      ///< Messages (client /v1/messages; claude providers)
    Gemini,      ///< generateContent (client /v1beta/models/…; gemini and vertex providers)
};

std::string_view formatName(Format f) noexcept;

/// The request cannot be expressed: a body of the wrong shape for its
/// endpoint, or a feature the target lacks. Answered as a 400 in the
/// client's error format, before any upstream call; `param` names the field.
struct TranslateError : std::runtime_error {
    TranslateError(std::string message, std::string param = {})
        : std::runtime_error(std::move(message)), param(std::move(param)) {}
    std::string param;
};

/// An error in neutral form: the upstream's (decoded by the provider codec)
/// or the proxy's own, encoded for the client by the client codec.
struct ErrorInfo {
    int status{500};
    std::string message;
    /// Finer kind when known: "invalid_request", "authentication", "permission",
    /// "not_found", "rate_limit", "overloaded", "server"; "" = derive from status.
    std::string kind;
};

/// State shared by one translated attempt's request and answer.
struct Exchange {
    const Conversation* request{};  ///< the client's request, canonical (for echoes in answers)
    std::string clientModel;        ///< the model the client named (echoed in answers)
    /// Tool names as sent upstream → as the client declared them (targets that
    /// shorten or sanitise names fill it; answers restore them).
    std::map<std::string, std::string, std::less<>> toolNameBack;
    /// Gemini client on streamGenerateContent without alt=sse: chunks are
    /// written as a JSON array, not SSE.
    bool geminiAltMode{};

    std::string clientToolName(std::string_view sent) const {
        const auto it = toolNameBack.find(sent);
        return it == toolNameBack.end() ? std::string(sent) : it->second;
    }
};

/// Upstream stream payloads → canonical events. Fed the payload of each
/// SSE `data:` line (JSON text, or "[DONE]") in order.
class StreamDecoder {
public:
    virtual ~StreamDecoder() = default;
    virtual void feed(std::string_view payload, std::vector<Event>& out) = 0;
    /// The upstream ended: emit what is still due (e.g. a Finish never sent).
    virtual void finish(std::vector<Event>& out) = 0;
};

/// Canonical events → the client's stream bytes (complete SSE frames, or
/// the Gemini alt-mode JSON array pieces), appended to `out` as they come.
class StreamEncoder {
public:
    virtual ~StreamEncoder() = default;
    virtual void encode(const Event& event, std::string& out) = 0;
    /// The upstream ended normally: close open blocks and write the
    /// terminator the client expects ([DONE], message_stop, response.completed).
    virtual void finish(std::string& out) = 0;
};

struct EncodeOptions {
    std::string upstreamModel;  ///< written where the format carries the model
    bool stream{};              ///< ask the upstream for a stream
    bool countTokens{};         ///< encode a token-count request for this format
};

class Codec {
public:
    virtual ~Codec() = default;
    virtual Format format() const noexcept = 0;

    // --- client side ---
    /// The client's body → canonical. `model` and `stream` come from the URL
    /// for Gemini (ignored by formats that carry them in the body).
    /// Throws TranslateError for a body of the wrong shape.
    virtual Conversation decodeRequest(const cpa::sdk::Value& body, const std::string& model, bool stream) const = 0;
    /// A canonical answer → the client's non-stream body (JSON text).
    virtual std::string encodeReply(const Reply& reply, const Exchange& exchange) const = 0;
    /// The encoder keeps a reference to `exchange`: it must outlive the encoder.
    virtual std::unique_ptr<StreamEncoder> streamEncoder(const Exchange& exchange) const = 0;
    std::unique_ptr<StreamEncoder> streamEncoder(const Exchange&&) const = delete;
    /// An error body in this format (status is the caller's).
    virtual std::string encodeError(const ErrorInfo& error) const = 0;
    /// A token count in this format's count answer (Claude, Gemini; others: "").
    virtual std::string encodeTokenCount(std::int64_t tokens) const = 0;

    // --- provider side ---
    /// Canonical → this format's request body. Throws TranslateError when the
    /// request uses something this format cannot express (named in the message).
    virtual cpa::sdk::Value encodeRequest(const Conversation& request, const EncodeOptions& options,
                                          Exchange& exchange) const = 0;
    /// This format's non-stream answer → canonical. Throws TranslateError when
    /// it is not an answer of this format.
    virtual Reply decodeReply(const cpa::sdk::Value& body, const Exchange& exchange) const = 0;
    /// The decoder keeps a reference to `exchange`: it must outlive the decoder.
    virtual std::unique_ptr<StreamDecoder> streamDecoder(const Exchange& exchange) const = 0;
    std::unique_ptr<StreamDecoder> streamDecoder(const Exchange&&) const = delete;
    /// An upstream error answer → neutral (message and kind from its body
    /// when it has this format's shape, else the status alone).
    virtual ErrorInfo decodeError(int status, std::string_view body) const = 0;
    /// The count from this format's token-count answer, or -1.
    virtual std::int64_t decodeTokenCount(const cpa::sdk::Value& body) const = 0;
};

const Codec& codecFor(Format format);

}  // namespace cpa::proxy::translate
