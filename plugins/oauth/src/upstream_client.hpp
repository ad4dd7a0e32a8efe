#pragma once
// The outbound HTTP exchange of /api-call over Poco (HTTPS with the system
// CAs), through an HTTP(S) CONNECT or SOCKS5 proxy when given, following up
// to 10 redirects like the original's client.
#include "proxy_choice.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
}

namespace cpa::oauth {

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

struct OutboundRequest {
    std::string method;
    std::string url;
    HeaderPairs headers;      ///< canonical names, one value each
    std::string hostOverride;  ///< "" = the URL's host
    std::string body;
};

struct InboundResponse {
    int status{};
    std::vector<std::pair<std::string, std::vector<std::string>>> headers;  ///< canonical names, sorted
    std::string body;
};

/// Connection, TLS, protocol or timeout failure (502 "request failed").
struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
/// The body could not be read or exceeded the cap (502 "failed to read response").
struct ReadError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Lets another thread abort requests (the background token refresh when the
/// module stops): cancel() shuts the socket of the request in flight down and
/// fails every later request at once.
class CancelToken {
public:
    void cancel() noexcept;
    bool cancelled() const noexcept;
    /// Waits up to `d`; false when cancelled first.
    bool sleepFor(std::chrono::milliseconds d);

private:
    friend class CancelRegistration;
    mutable std::mutex m_;
    std::condition_variable cv_;
    bool cancelled_{};
    Poco::Net::HTTPClientSession* session_{};
};

/// Go's textproto canonical form: "content-type" → "Content-Type".
std::string canonicalHeaderName(std::string_view name);

/// `timeout` bounds each connect, send and receive; `cancel` (optional) can
/// abort the exchange from another thread (TransportError "cancelled").
InboundResponse performRequest(const OutboundRequest& request, const std::optional<ProxySpec>& proxy,
                               std::chrono::milliseconds timeout, std::size_t maxBody, CancelToken* cancel = nullptr);

}  // namespace cpa::oauth
