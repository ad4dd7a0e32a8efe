#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace cpa::core {

/// Listener and capacity settings (config keys `host`, `port` and the
/// `http-server` block; see config/config.example.yaml).
struct ServerOptions {
    std::string host;                 ///< "" = all interfaces
    int port = 8317;                  ///< 0 = ephemeral
    int maxThreads = 1024;            ///< workers accepting, and again workers resuming parked connections
    int maxQueued = 4096;             ///< connections waiting in the listen backlog for a worker
    int keepAliveTimeoutSeconds = 60; ///< idle keep-alive connection lifetime
    int maxKeepAliveRequests = 0;     ///< 0 = unlimited
    /// A request head must be complete within this: from the connection's
    /// start for its first request, from its first byte for later ones.
    int headerTimeoutSeconds = 10;
    /// Open connections per client IP; 0 = no cap. Loopback peers and trusted
    /// proxies are exempt (docs/architecture.md §4).
    int maxConnectionsPerIp = 1024;
    bool capLoopbackPeers = false;  ///< not a config key: tests cap 127.0.0.1
    /// A body read must progress, and a send complete, within this (not a
    /// config key; tests shorten it).
    int readTimeoutSeconds = 60;
    /// A worker waits this long for a request's bytes before it parks the
    /// connection and returns to other work (not a config key).
    int parkAfterMilliseconds = 50;
    std::size_t maxBodyBytes = 64u * 1024 * 1024;  ///< larger bodies → 413
    /// Management routes without a bound of their own (RouteRegistry::setBodyLimit).
    std::size_t maxManagementBodyBytes = 1024u * 1024;
    int shutdownDrainSeconds = 30;    ///< SIGTERM: wait this long for in-flight requests
    std::vector<std::string> trustedProxies;  ///< IPs/CIDRs whose X-Forwarded-For is honoured
};

}  // namespace cpa::core
