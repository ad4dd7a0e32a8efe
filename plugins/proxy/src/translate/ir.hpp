#pragma once
// The canonical conversation every format translates through
// (docs/spec/translation.md §2): a client body is decoded into it once,
// and encoded for whichever provider serves the attempt; answers travel the
// other way. One codec per wire format (codec.hpp) — a new format is one
// new codec, not an edit per pair.
#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cpa::proxy::translate {

/// One piece of content. Which fields are meaningful depends on `kind`.
struct Part {
    enum class Kind {
        Text,        ///< text
        Image,       ///< mimeType + data (base64), or url
        File,        ///< mimeType + data (base64) or url (file URI), filename
        Audio,       ///< mimeType + data (base64)
        Thinking,    ///< text (reasoning summary / thought), signature (opaque, provider-bound)
        ToolCall,    ///< callId, name, arguments (JSON text of an object)
        ToolResult,  ///< callId, name (when known), content (nested parts: Text / Image), isError
    };
    Kind kind{Kind::Text};
    std::string text;
    std::string mimeType;
    std::string data;  ///< base64, no data: prefix
    std::string url;
    std::string filename;
    std::string signature;  ///< Thinking: signature / encrypted content; ToolCall: Gemini thoughtSignature
    bool redacted{};        ///< Thinking: Claude redacted_thinking (opaque text in `signature`)
    std::string callId;
    std::string name;
    std::string arguments;  ///< ToolCall: JSON text ("{}" when none)
    std::vector<Part> content;  ///< ToolResult
    bool isError{};

    static Part textPart(std::string t) {
        Part p;
        p.text = std::move(t);
        return p;
    }
};

enum class Role { User, Assistant };

/// A turn. Tool results travel in User turns (Claude's model); codecs whose
/// format has a `tool` role split them out when encoding.
struct Message {
    Role role{Role::User};
    std::vector<Part> parts;
};

struct ToolDecl {
    std::string name;
    std::string description;
    std::optional<cpa::sdk::Value> parameters;  ///< JSON Schema object; nullopt = none given
    std::optional<bool> strict;
    /// A provider built-in tool (web search, code execution, …): its kind as
    /// the source named it ("web_search", "google_search", "code_execution",
    /// "url_context", or the source's raw type) and its raw declaration.
    /// A target that cannot express it refuses the request (TranslateError).
    std::string builtin;
    cpa::sdk::Value raw;
};

struct ToolChoice {
    enum class Mode { Unset, Auto, None, Required, Named };
    Mode mode{Mode::Unset};
    std::string name;                     ///< Named
    std::optional<bool> parallelToolCalls;  ///< false = one call at a time
};

struct Reasoning {
    /// An effort level as written by the client, lower-cased: none, auto,
    /// minimal, low, medium, high, xhigh, max. Empty = not given.
    std::string effort;
    /// A token budget (-1 = dynamic / auto, 0 = off). Empty = not given.
    std::optional<std::int64_t> budget;
    std::optional<bool> includeThoughts;
    std::string summary;  ///< Responses reasoning.summary ("auto", "detailed", …)
    bool given() const { return !effort.empty() || budget.has_value() || includeThoughts.has_value(); }
};

struct ResponseFormat {
    enum class Kind { Unset, Text, JsonObject, JsonSchema };
    Kind kind{Kind::Unset};
    std::string name;
    std::optional<cpa::sdk::Value> schema;
    std::optional<bool> strict;
};

/// A request in canonical form.
struct Conversation {
    std::string model;  ///< as the client named it (the route model; the executor overwrites it)
    bool stream{};
    std::vector<Part> system;  ///< system / developer instructions, in order (Text; Image from Gemini)
    std::vector<Message> messages;
    std::vector<ToolDecl> tools;
    ToolChoice toolChoice;
    std::optional<double> temperature, topP;
    std::optional<std::int64_t> topK, maxTokens, candidateCount;
    std::vector<std::string> stop;
    Reasoning reasoning;
    ResponseFormat responseFormat;
    std::string user;  ///< end-user id (chat `user`, Claude metadata.user_id)
    std::optional<std::int64_t> seed;
    std::optional<double> presencePenalty, frequencyPenalty;
};

struct Usage {
    bool present{};
    std::int64_t input{};           ///< prompt tokens, cached ones included
    std::int64_t output{};          ///< completion tokens, reasoning included
    std::int64_t cachedInput{};     ///< of `input`, read from a cache
    std::int64_t cacheCreation{};   ///< of `input`, written to a cache (Claude)
    std::int64_t reasoning{};       ///< of `output`, spent thinking
    std::int64_t total() const { return input + output; }
};

enum class FinishReason { Unset, Stop, Length, ToolCalls, ContentFilter, StopSequence, Refusal };

/// A complete (non-stream) answer in canonical form.
struct Reply {
    std::string id;
    std::string model;
    std::int64_t created{};  ///< Unix seconds; 0 = unknown (encoders use now)
    std::vector<Part> parts;  ///< Text, Thinking, ToolCall, Image
    FinishReason finish{FinishReason::Unset};
    std::string stopSequence;
    Usage usage;
};

/// One step of a streamed answer. Decoders emit them in upstream order;
/// encoders turn them into the client's events at once (never buffering
/// the stream; they keep only what the client's format repeats at the end).
struct Event {
    enum class Type {
        Start,          ///< id, model (may be empty: encoders invent them)
        TextDelta,      ///< text
        ThinkingDelta,  ///< text
        ThinkingSignature,  ///< text = signature of the current thinking block
        ToolCallStart,  ///< index (the call's position in this answer), callId, name
        ToolCallDelta,  ///< index, text = a piece of the arguments' JSON text
        ImageData,      ///< mimeType in `name`, base64 in `text`
        Finish,         ///< reason, stopSequence (usage may follow or precede)
        Usage,          ///< usage (the latest wins; may arrive after Finish)
        Error,          ///< text = message, index = HTTP-like status (an in-stream upstream error)
    };
    Type type{Type::TextDelta};
    std::string text;
    std::string callId;
    std::string name;
    int index{};
    FinishReason reason{FinishReason::Unset};
    std::string stopSequence;
    Usage usage;
    std::string id, model;
    /// ToolCallStart: the call's Gemini thoughtSignature (the stream side of
    /// Part::signature on a ToolCall); empty when the upstream gave none.
    std::string signature;
};

}  // namespace cpa::proxy::translate
