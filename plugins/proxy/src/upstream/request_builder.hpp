#pragma once
// Per-family upstream request construction (data-plane §7).
#include "exec/executor.hpp"

#include <cpa/sdk/value.hpp>

#include <optional>
#include <stdexcept>
#include <string>

namespace cpa::proxy::upstream {

/// CodeAssist: Gemini CLI's Cloud Code Assist envelope
/// (oauth-executors.md §3.3); Kimi: Kimi's OpenAI chat endpoint (§3.5);
/// Antigravity: the Code Assist API with Antigravity's envelope (oauth-executors.md §3.4).
enum class Family { OpenAICompat, Codex, Claude, Gemini, Vertex, CodeAssist, Kimi, Antigravity };

/// The families whose answers arrive wrapped in {"response":…}.
inline bool codeAssistEnvelope(Family f) { return f == Family::CodeAssist || f == Family::Antigravity; }

struct UpstreamCall {
    Family family{Family::OpenAICompat};
    std::string url;
    HeaderList headers;  ///< in sending order
    std::string body;
    bool upstreamStreams{};     ///< the response is read as SSE
    bool useEnvironmentProxy{true};
    bool decompress{};          ///< Content-Encoding / magic-byte decoding of the body
};

/// The request cannot be built (unknown family, missing base URL): a
/// configuration problem reported as an error result, never thrown further.
struct BuildError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::optional<Family> familyOf(const UpstreamCredential& credential);
UpstreamCall buildUpstreamCall(const ExecRequest& request);  ///< throws BuildError

// Per-family builders (one file each).
UpstreamCall buildOpenAICompat(const ExecRequest& request);
UpstreamCall buildCodex(const ExecRequest& request);
UpstreamCall buildClaude(const ExecRequest& request);
UpstreamCall buildGemini(const ExecRequest& request, bool vertex);
UpstreamCall buildCodeAssist(const ExecRequest& request);
UpstreamCall buildKimi(const ExecRequest& request);
UpstreamCall buildAntigravity(const ExecRequest& request);
/// oauth-executors.md §3.5: reasoning_content on assistant tool calls, call ids on tool results.
void repairKimiToolMessages(cpa::sdk::Value& chatBody);

// Shared helpers.
/// The Gemini method of the call: the client's, else generate or stream.
std::string geminiAction(const ExecRequest& request);
/// The query of a Gemini-style URL (data-plane.md §2): `?alt=sse` for streams, `?$alt=<mode>` for
/// a client's alt mode; none for count tokens.
std::string geminiQuery(const ExecRequest& request, bool countTokens);
/// The client body as JSON; nullopt when it does not parse (then forwarded as is).
std::optional<cpa::sdk::Value> parseBody(const std::string& body);
std::string stripOneTrailingSlash(std::string url);
/// Sets every configured custom header (replacing), data-plane.md §7.1.
void applyCustomHeaders(HeaderList& headers, const UpstreamCredential& credential);
/// oauth-executors.md §3.1, Claude OAuth: X-App, X-Stainless-*, the Claude
/// Code session id and (api.anthropic.com only) x-client-request-id.
void applyClaudeOAuthIdentity(HeaderList& headers, const ExecRequest& request, bool anthropicHost);
/// The "legacy" device fingerprint: runtime/package versions, OS, arch, User-Agent.
void applyClaudeOAuthFingerprint(HeaderList& headers, const ExecRequest& request);
/// data-plane.md §7.5: the Gemini API-key body normalisation (tools, roles,
/// thought signatures, default safety settings, `model`), shared with Code Assist.
/// `keepThoughtSignatures`: model turns keep their own signatures (Antigravity's
/// Claude models check them) instead of the validator-skipping placeholder.
void normalizeGeminiBody(cpa::sdk::Value& body, const std::string& model, bool countTokens,
                         bool keepThoughtSignatures = false);
/// data-plane.md §8.6: the chat body for a legacy completions request.
cpa::sdk::Value completionsToChat(const cpa::sdk::Value& completions);

}  // namespace cpa::proxy::upstream
