#pragma once
// The per-request pipeline (called by the connection loop, http_connection.hpp):
// request id + CORS → OPTIONS 204 → route (404) → body limit (413) →
// BeforeAccess middleware → the route's access guard → AfterAccess middleware
// → handler → send → every middleware's onComplete (reverse) → access line.
#include "http/client_ip.hpp"
#include "http/connection_registry.hpp"
#include "http/http_server.hpp"
#include "http/server_response.hpp"
#include "http/router.hpp"
#include "http/connection_reader.hpp"
#include "http/request_head.hpp"

#include <cpa/sdk/module.hpp>
#include <cpa/sdk/observability.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace cpa::core {

/// What every request thread shares; immutable after construction except the
/// counters and the stopping flag.
struct PipelineContext {
    std::shared_ptr<Router> router;
    AccessGuards guards;
    std::shared_ptr<sdk::Logger> accessLog;
    std::shared_ptr<sdk::Logger> coreLog;
    TrustedProxies trustedProxies;
    std::size_t maxBodyBytes = 0;  ///< 0 = unlimited
    std::size_t maxManagementBodyBytes = 0;  ///< management routes without their own bound; 0 = maxBodyBytes
    std::shared_ptr<ConnectionRegistry> connections = std::make_shared<ConnectionRegistry>();
    std::atomic<std::size_t> inFlight{0};
    std::atomic<std::size_t> activeStreams{0};  ///< responses streaming right now
    /// Told about every finished request (the metrics module); null = none.
    std::shared_ptr<sdk::RequestObserver> observer;
    std::atomic<bool> stopping{false};  ///< answer with "Connection: close"
    /// Connection timing (http_connection.hpp), from ServerOptions.
    std::chrono::milliseconds headerTimeout{std::chrono::seconds(10)};
    std::chrono::milliseconds keepAliveTimeout{std::chrono::seconds(60)};
    std::chrono::milliseconds readTimeout{std::chrono::seconds(60)};  ///< between body bytes; per send
    std::chrono::milliseconds parkAfter{5};
    int maxKeepAliveRequests = 0;  ///< ≤ 0: unlimited
};

/// Handles one request whose head `reader` has just read, and writes its
/// response to the reader's socket. `peer` is the connection's normalised
/// peer address. Never throws: every failure becomes a response or a closed
/// connection. Returns whether the connection may serve another request.
bool handleRequest(PipelineContext& ctx, RequestHead& head, ConnectionReader& reader, const std::string& peer,
                   ResponseFrame frame) noexcept;

}  // namespace cpa::core
