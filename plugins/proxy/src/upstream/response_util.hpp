#pragma once
// Response-side helpers: body decompression (data-plane.md §7.4), passthrough-header
// filtering (data-plane.md §8.5), Retry-After parsing, client response headers (§8.2).
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

/// Stream response headers (SSE set, none for Gemini alt mode).
HeaderList streamHeaders(bool geminiAltMode);

}  // namespace cpa::proxy::upstream
