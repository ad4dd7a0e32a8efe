#pragma once
#include <Poco/Net/ServerSocket.h>

#include <string>

namespace cpa::core {

/// A listening socket for ServerOptions' host and port. "" = all interfaces:
/// a dual-stack IPv6 socket (v6only off), or IPv4 0.0.0.0 when IPv6 is not
/// available; "[::1]" and "::1" are IPv6 literals; names are resolved.
/// SO_REUSEADDR on, SO_REUSEPORT off (so a busy port is detected).
/// Throws std::runtime_error "cannot listen on <host>:<port>: <reason>".
Poco::Net::ServerSocket openListenSocket(const std::string& host, int port, int backlog);

}  // namespace cpa::core
