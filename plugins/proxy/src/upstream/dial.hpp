#pragma once
// Opening one upstream connection: TCP, optionally through an HTTP CONNECT or
// SOCKS5 proxy (or to an HTTP proxy that forwards plain-http requests), then
// TLS for https targets (system CA store, SNI, host check).
#include "upstream/url.hpp"

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

namespace cpa::proxy::upstream {

using Clock = std::chrono::steady_clock;

struct DialError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// True for an http(s) proxy in front of a plain-http target: the request is
/// sent to the proxy in absolute form (no CONNECT tunnel), as Go's transport
/// does; such connections lead to the proxy, not to one target.
bool forwardsToProxy(const Url& target, const std::optional<Url>& proxy);

/// "Basic <base64(user:password)>" when the proxy URL has user info, else "".
std::string proxyBasicAuth(const Url& proxy);

/// Throws DialError with a readable reason; gives up at `deadline`.
Poco::Net::StreamSocket dial(const Url& target, const std::optional<Url>& proxy, Clock::time_point deadline);

/// Remaining time until `deadline` as a Poco timespan (at least 1 ms).
Poco::Timespan remaining(Clock::time_point deadline);

}  // namespace cpa::proxy::upstream
