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
    int maxThreads = 1024;            ///< worker threads (a keep-alive connection holds one)
    int maxQueued = 4096;             ///< accepted connections waiting for a thread
    int keepAliveTimeoutSeconds = 60; ///< idle keep-alive connection lifetime
    int maxKeepAliveRequests = 0;     ///< 0 = unlimited
    /// A request head must be complete, and a body read must progress, within
    /// this (not a config key; tests shorten it).
    int readTimeoutSeconds = 60;
    std::size_t maxBodyBytes = 64u * 1024 * 1024;  ///< larger bodies → 413
    /// Management routes without a bound of their own (RouteRegistry::setBodyLimit).
    std::size_t maxManagementBodyBytes = 1024u * 1024;
    int shutdownDrainSeconds = 30;    ///< SIGTERM: wait this long for in-flight requests
    std::vector<std::string> trustedProxies;  ///< IPs/CIDRs whose X-Forwarded-For is honoured
};

}  // namespace cpa::core
