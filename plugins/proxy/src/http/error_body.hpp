#pragma once
// Client-facing error bodies before anything was streamed (data-plane §9.1, §9.2).
#include "routing/credential_pool.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace cpa::proxy {

struct ErrorReply {
    int status{500};
    std::string body;  ///< JSON text
    std::vector<std::pair<std::string, std::string>> headers;
};

/// data-plane.md §9.1: `text` verbatim when it is JSON, else {"error":{message,type[,code]}}.
/// Status 0 becomes 500; empty text becomes the status's reason phrase.
ErrorReply genericError(int status, const std::string& text);

/// data-plane.md §9.2 for routing failures: 503 auth_not_found / auth_unavailable, or the
/// 429 model_cooldown body. `passthroughHeaders` adds Retry-After to the latter.
ErrorReply pickErrorReply(const PickError& error, const std::vector<std::string>& providers,
                          const std::string& routeModel, TimePoint now, bool passthroughHeaders);

/// Whole seconds written like Go's time.Duration: 0s, 45s, 1m30s, 1h0m0s.
std::string goDuration(std::int64_t seconds);

/// {"error":{"message":<m>,"type":"invalid_request_error"}} (the 400s of data-plane.md §9.2).
std::string invalidRequestBody(const std::string& message);

}  // namespace cpa::proxy
