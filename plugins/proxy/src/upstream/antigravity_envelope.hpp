#pragma once
// Antigravity's request envelope (oauth-executors.md §3.4.2–§3.4.3): what
// the Antigravity builder wraps a normalised Gemini request in, and the
// choices that depend on the model. Pure functions, unit-tested with the
// original's vectors.
#include <cpa/sdk/value.hpp>

#include <string>
#include <string_view>

namespace cpa::proxy::upstream {

/// The default base URLs, tried in this order (oauth-executors.md §3.4.1).
inline constexpr std::string_view kAntigravityDailyBase = "https://daily-cloudcode-pa.googleapis.com";
inline constexpr std::string_view kAntigravityProdBase = "https://cloudcode-pa.googleapis.com";

/// Non-stream calls for these models go to the stream path and the events
/// are merged into one answer (oauth-executors.md §3.4.1).
bool antigravityNonStreamViaStream(std::string_view model);

/// `{"model","userAgent","requestType","project","requestId","request"}`
/// around a Gemini request that normalizeGeminiBody has already shaped
/// (oauth-executors.md §3.4.2): safety settings removed, `request.sessionId` for text models,
/// output tokens capped by the `antigravity` catalogue section, tool and
/// response schemas cleaned only when present, Claude models validated tool
/// calls, other models without `maxOutputTokens`. `project` "" → a random
/// `<adjective>-<noun>-<5 hex>`.
cpa::sdk::Value antigravityEnvelope(cpa::sdk::Value request, const std::string& model, const std::string& project);

/// Count tokens: `{"request"}` without safety settings (no project, no model).
cpa::sdk::Value antigravityCountEnvelope(cpa::sdk::Value request);

/// `-<n>`: the first 8 bytes of SHA-256 of the first user turn's first text
/// (big-endian, sign bit cleared), else a random number (oauth-executors.md §3.4.2).
std::string antigravitySessionId(const cpa::sdk::Value& request);

/// The User-Agent (oauth-executors.md §3.4.3): a configured one (an `antigravity/…` value loses
/// a ` google-api-nodejs-client/…` tail), else `antigravity/1.21.9 darwin/arm64`.
std::string antigravityUserAgent(std::string_view configured);

}  // namespace cpa::proxy::upstream
