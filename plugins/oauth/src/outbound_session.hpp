#pragma once
// One outbound HTTP(S) session to a provider, direct or through the chosen
// proxy: HTTP(S) proxies by Poco's CONNECT, SOCKS5 by our own handshake (the
// proxy resolves the name). Shared by /api-call and the login flows so an
// operator's proxy-url means the same for both.
#include "proxy_choice.hpp"
#include "upstream_client.hpp"  // TransportError

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <memory>
#include <optional>

namespace cpa::oauth {

/// Throws TransportError (SOCKS5 handshake) or Poco::Exception (connect, TLS).
std::unique_ptr<Poco::Net::HTTPClientSession> openOutboundSession(const Poco::URI& uri,
                                                                 const std::optional<ProxySpec>& proxy,
                                                                 Poco::Timespan timeout);

}  // namespace cpa::oauth
