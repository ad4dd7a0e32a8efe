#pragma once
// A SOCKS5 CONNECT (RFC 1928, user/password per RFC 1929) for outbound calls
// that honour a `socks5://` or `socks5h://` proxy-url.
#include "proxy_url.hpp"

#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <cstdint>
#include <string>

namespace cpa::config {

/// Opens a connection to `host:port` through `proxy`. The target host name
/// is sent to the proxy unresolved. Throws std::runtime_error naming the
/// failing step; Poco::Exception for socket errors and timeouts.
Poco::Net::StreamSocket socks5Connect(const ProxyEndpoint& proxy, const std::string& host, std::uint16_t port,
                                      Poco::Timespan timeout);

}  // namespace cpa::config
