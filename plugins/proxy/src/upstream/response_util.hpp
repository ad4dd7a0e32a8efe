#pragma once
// Response-side helpers: body decompression (data-plane.md §7.4), passthrough-header
// filtering (data-plane.md §8.5), Retry-After parsing, client response headers (data-plane.md §8.2).
#include <cstdint>
#include "exec/executor.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace cpa::proxy::upstream {

/// Decodes per Content-Encoding (gzip, deflate) or by the gzip magic bytes;
/// returns the input unchanged when it cannot be decoded.
std::string decompressBody(const std::string& body, const std::string& contentEncoding);

/// The upstream headers a client may see with passthrough-headers on.
HeaderList passthroughHeaders(const HeaderList& upstream);
/// Adds `extra` to `headers` without overwriting names already present.
void addMissing(HeaderList& headers, const HeaderList& extra);

std::optional<std::chrono::seconds> parseRetryAfter(const std::string& value);
/// Codex quota reset hint (oauth-executors.md §3.2, §4.1): only a 429 whose
/// `error.type` is `usage_limit_reached`: `error.resets_at` (Unix s, when in
/// the future), else `error.resets_in_seconds` (> 0).
std::optional<std::chrono::seconds> codexRetryAfter(int status, const std::string& body, std::int64_t nowUnix);
/// Gemini CLI / Antigravity 429 bodies (oauth-executors.md §4.1): RetryInfo
/// `retryDelay`, else ErrorInfo `metadata.quotaResetDelay`, else "after <d>"
/// in `error.message`; Go durations ("0.847s", "373.8ms", "1h43m56s"),
/// rounded up to whole seconds. nullopt for other statuses or no hint.
std::optional<std::chrono::seconds> googleRetryDelay(int status, const std::string& body);
/// The same hint of any Google error body, in seconds with their fraction.
std::optional<double> googleRetryDelaySeconds(const std::string& body);
/// One Go duration string in seconds (fractions kept); nullopt when it does not parse.
std::optional<double> parseGoDuration(std::string_view text);

/// Stream response headers (SSE set, none for Gemini alt mode).
HeaderList streamHeaders(bool geminiAltMode);

}  // namespace cpa::proxy::upstream
