#pragma once
// The panel download's HTTP client: GET with redirects (GitHub's asset URLs
// redirect to a CDN), an optional HTTP proxy (`proxy-url`), a size cap and a
// deadline. Nothing here knows about releases or files.
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cpa::core::panel {

struct HttpGetOptions {
    std::string proxyUrl;  ///< "" = direct; http://[user:pass@]host:port; other schemes are refused
    std::chrono::milliseconds timeout{15000};  ///< per connection step (connect, send, receive)
    std::size_t maxBytes = 50u << 20;           ///< the original's cap for the asset
    std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpGetResult {
    int status = 0;
    std::string body;  ///< at most maxBytes (a longer body throws)
};

/// A transport failure or a refused reply (too large, too many redirects).
struct HttpGetError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// GET `url` (http or https), following up to 5 redirects. Throws HttpGetError.
HttpGetResult httpGet(const std::string& url, const HttpGetOptions& options);

}  // namespace cpa::core::panel
