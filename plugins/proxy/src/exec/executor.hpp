#pragma once
// The seam between routing (which credential, retries, cooldowns, records:
// data-plane §4–§6, §9.1–9.2, §11–§12) and execution (one upstream call for
// one credential: data-plane.md §7, §8, §9.3, §10). Routing calls Executor::execute once
// per attempt; the executor never retries and never picks credentials.
#include "translate/ir.hpp"

#include <cpa/sdk/http.hpp>
#include <cpa/sdk/value.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cpa::proxy {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// The client-facing API a request arrived on (data-plane §2).
enum class ClientFormat {
    OpenAIChat,         ///< POST /v1/chat/completions
    OpenAICompletions,  ///< POST /v1/completions (converted to chat, data-plane.md §8.6)
    Responses,          ///< POST /v1/responses, /backend-api/codex/responses
    ResponsesCompact,   ///< POST /v1/responses/compact (+ alias)
    Claude,             ///< POST /v1/messages
    ClaudeCountTokens,  ///< POST /v1/messages/count_tokens
    Gemini,             ///< POST /v1beta/models/<model>:<method>
};

/// What the executor needs of a credential (built by routing from a
/// cpa::sdk::ContributedCredential; immutable while an attempt runs).
struct UpstreamCredential {
    std::string id;           ///< kind:token
    std::string authIndex;
    std::string providerKey;  ///< gemini | vertex | claude | codex | <compat name> | <third-party provider>
    std::string wire;         ///< sdk::wire::k…: which request builder serves it
    std::string apiKey;       ///< "" for a key-less openai-compatibility provider
    std::string baseUrl;      ///< "" = the wire's default (data-plane.md §4 table)
    std::string proxyUrl;     ///< per-credential proxy; "" = use the global one
    HeaderList headers;       ///< custom upstream headers (trimmed, empty pairs dropped)
    /// An OAuth file credential (wire oauth:<type>): `apiKey` is empty here;
    /// each attempt gets a copy with the token source's access token.
    bool oauth{};
    /// The token source's id for it ("" = `id`): the file whose token the
    /// projects of a multi-project Gemini CLI file share (oauth-executors.md §5.2).
    std::string tokenId;
    /// Gemini CLI / Antigravity: the Code Assist `project` (oauth-executors.md §5.1).
    std::string project;
    /// Kimi: `X-Msh-Device-Id` ("" = the original's fallback), oauth-executors.md §3.5.
    std::string deviceId;
    /// Antigravity: the base URLs tried in turn (oauth-executors.md §3.4.1);
    /// each call goes to a copy whose `baseUrl` is one of them.
    std::vector<std::string> baseUrls;
    /// Antigravity: the file's `user_agent` ("" = the default), oauth-executors.md §3.4.3.
    std::string userAgent;

    const std::string& tokenKey() const { return tokenId.empty() ? id : tokenId; }
};

/// OAuth wires of issue 21 and the internal builder wires they map to
/// (builderWire): neither is ever contributed by an API-key family.
namespace oauth_wire {
inline constexpr std::string_view kGeminiCli = "oauth:gemini-cli";
inline constexpr std::string_view kKimi = "oauth:kimi";
inline constexpr std::string_view kAntigravity = "oauth:antigravity";
inline constexpr std::string_view kCodeAssistBuilder = "code-assist";
inline constexpr std::string_view kAntigravityBuilder = "antigravity";
inline constexpr std::string_view kKimiBuilder = "kimi-chat";
}  // namespace oauth_wire

/// One attempt: the client's request bound to a credential and an upstream model.
/// A new field must be copied in withoutClientPayload() too.
struct ExecRequest {
    ClientFormat format{ClientFormat::OpenAIChat};
    std::string geminiMethod;  ///< generateContent | streamGenerateContent | countTokens (Gemini only)
    std::string geminiAlt;     ///< alt mode ("" = SSE / not set), data-plane.md §2
    bool stream{};
    std::string clientModel;    ///< as the client wrote it (thinking suffix stripped)
    std::string upstreamModel;  ///< resolved by routing (data-plane.md §6.5): written into body / URL
    std::string body;           ///< client body, unparsed
    HeaderList clientHeaders;   ///< as received (Anthropic-Beta etc.); never forwarded wholesale
    std::shared_ptr<const UpstreamCredential> credential;
    std::string globalProxyUrl;  ///< config `proxy-url` (data-plane.md §7.1 precedence)
    bool passthroughHeaders{};   ///< config `passthrough-headers` (data-plane.md §8.5)
    int streamKeepaliveSeconds{};     ///< `streaming.keepalive-seconds` (data-plane.md §8.3)
    int nonstreamKeepaliveSeconds{};  ///< `nonstream-keepalive-interval` (data-plane.md §8.1)
    std::chrono::milliseconds timeout{std::chrono::minutes(10)};
    /// The client's body in canonical form, decoded once by routing when a
    /// provider of another wire format may serve it (translation); null otherwise.
    std::shared_ptr<const translate::Conversation> conversation;
    /// Fill ExecResult::log (the request log's attempt). Off when nobody
    /// subscribes to request.completed: the copies are then skipped.
    bool recordLog{true};
    /// `request-retry`: Antigravity retries a soft 429 or "no capacity" this
    /// many times on the same credential (oauth-executors.md §3.4.4).
    int requestRetry{};

    /// Every field but the client's body and headers, which translation
    /// replaces: copying them only to drop them was measurable per request.
    ExecRequest withoutClientPayload() const {
        ExecRequest n;
        n.format = format;
        n.geminiMethod = geminiMethod;
        n.geminiAlt = geminiAlt;
        n.stream = stream;
        n.clientModel = clientModel;
        n.upstreamModel = upstreamModel;
        n.credential = credential;
        n.globalProxyUrl = globalProxyUrl;
        n.passthroughHeaders = passthroughHeaders;
        n.streamKeepaliveSeconds = streamKeepaliveSeconds;
        n.nonstreamKeepaliveSeconds = nonstreamKeepaliveSeconds;
        n.timeout = timeout;
        n.conversation = conversation;
        n.recordLog = recordLog;
        n.requestRetry = requestRetry;
        return n;
    }
};

struct TokenUsage {
    bool present{};  ///< false when the upstream reported none (`usage: null` ignored, data-plane.md §10)
    std::int64_t input{}, output{}, reasoning{}, cached{}, total{};
};

/// What routing and the request log need to know about one upstream call.
struct AttemptLog {
    std::string timestamp;  ///< RFC 3339, start of the call
    std::string url, method;
    HeaderList requestHeaders;  ///< as sent (secrets unmasked; the logs module masks)
    std::string requestBody;
    int responseStatus{};
    std::string responseTimestamp;
    HeaderList responseHeaders;
    std::string responseBody;   ///< bounded copy (first 1 MiB) for the log
    std::vector<std::string> errors;
};

struct ExecResult {
    /// Upstream HTTP status; 0 = no HTTP response (connect failure, timeout,
    /// stream cut before the first chunk, empty stream, cancelled).
    int status{};
    bool ok{};          ///< 2xx and, for streams, completed normally
    /// Stream bytes reached the client: routing must not retry or write.
    /// Never set for a non-streaming request (see keepalivesSent).
    bool committed{};
    /// Non-streaming only: keep-alive newlines (data-plane.md §8.1) committed status 200
    /// through the sink, and nothing else was written. The executor never
    /// writes a non-stream body: a success is returned in responseBody, a
    /// failure leaves the sink untouched, so routing may still try other
    /// credentials and appends the final body (success or error) itself.
    bool keepalivesSent{};
    bool cancelled{};   ///< the client went away (data-plane.md §8.4): not a credential failure
    std::string errorCode;     ///< e.g. "empty_stream", "timeout", "connect"; "" when ok
    std::string errorMessage;  ///< human text for the error body (data-plane.md §9.1)
    std::string errorBody;     ///< upstream error body (JSON passed through, data-plane.md §9.1)
    HeaderList errorHeaders;   ///< e.g. Retry-After from upstream
    std::optional<std::chrono::seconds> retryAfter;
    /// Non-streaming success: the status/headers/body to send (already in the
    /// client's format, data-plane.md §8.1). Empty for streams (already written to the sink).
    int responseStatus{200};
    HeaderList responseHeaders;
    std::string responseBody;
    TokenUsage usage;
    AttemptLog log;
};

/// Where a streaming response (and non-stream keep-alive newlines) go:
/// implemented by routing over cpa::sdk::Response::stream(). The sink may
/// already be begun when an attempt starts (newlines of an earlier attempt).
class ClientSink {
public:
    virtual ~ClientSink() = default;
    /// Commits the status line and headers (first chunk, or the first
    /// keep-alive newline). Returns false if the client is gone.
    virtual bool begin(int status, const HeaderList& headers) = 0;
    /// Writes and flushes bytes already framed for the client's format.
    /// Returns false if the client is gone: the executor aborts the upstream call.
    virtual bool write(std::string_view bytes) = 0;
    virtual bool begun() const = 0;
    /// True once the client is known to have hung up, checked without
    /// blocking (the executor asks while it waits on a silent upstream).
    virtual bool clientGone() const { return false; }
};

/// Client formats a wire format serves without translation (data-plane §13
/// item 5): chat and completions → OpenAI-compatible, responses → codex,
/// claude → claude, gemini → gemini/vertex.
bool wireServesFormat(std::string_view wire, ClientFormat format);

/// The API-key wire whose request builder and format an OAuth wire shares
/// (oauth:claude → claude-messages, oauth:codex → codex-responses); any
/// other wire is returned as is.
std::string_view builderWire(std::string_view wire);
/// Whether the wire's credentials take their token from cpa.TokenSource/1.
bool isOAuthWire(std::string_view wire);

class Executor {
public:
    virtual ~Executor() = default;
    /// Performs one upstream call. Streaming output (and non-stream
    /// keep-alives) go to `sink`; a non-streaming success is returned in the
    /// result. Never throws for upstream or client failures; the result says
    /// what happened.
    virtual ExecResult execute(const ExecRequest& request, ClientSink& sink) = 0;
};

}  // namespace cpa::proxy
