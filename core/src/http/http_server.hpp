#pragma once
// The HTTP listener: workers that accept (connection_acceptor.hpp), a
// parking lot for connections waiting for their next request
// (connection_parking.hpp), our connection loop (http_connection.hpp), every
// request through the core pipeline (request_pipeline.hpp).
#include "http/access_guard.hpp"
#include "http/router.hpp"
#include "http/server_options.hpp"

#include <cpa/sdk/observability.hpp>
#include <cpa/sdk/module.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace cpa::core {

/// The guard per Access class; a null guard closes that class
/// (Management → 404 with an empty body, ClientKey → 401 {"error":"Missing API key"}).
struct AccessGuards {
    std::shared_ptr<AccessGuard> management;
    std::shared_ptr<AccessGuard> clientKey;
};

class HttpServer {
public:
    /// The router should be frozen before start(). Throws std::invalid_argument
    /// on an invalid trusted proxy entry or a null router.
    HttpServer(ServerOptions opts, std::shared_ptr<Router> router, AccessGuards guards,
               std::shared_ptr<sdk::Logger> accessLog, std::shared_ptr<sdk::Logger> coreLog);
    /// Stops (without drain) if still running.
    ~HttpServer();

    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and starts serving. Throws std::runtime_error
    /// "cannot listen on <host>:<port>: <reason>" (e.g. "address already in use").
    void start();
    /// The bound port (after start(); the real one when port 0 was asked).
    std::uint16_t port() const;
    /// Stops accepting, closes idle keep-alive connections, lets in-flight
    /// requests finish for up to `drain` (their responses carry
    /// "Connection: close"), then aborts the rest. Idempotent.
    void stop(std::chrono::milliseconds drain) noexcept;
    /// Requests currently being handled.
    std::size_t inFlight() const;
    /// Open client connections (idle keep-alive ones included).
    std::size_t openConnections() const;
    /// Open connections waiting for a request without a thread (parked).
    std::size_t parkedConnections() const;
    /// Responses streaming right now.
    std::size_t activeStreams() const;
    /// Tells `observer` about every finished request (the metrics module). Call before start().
    void setRequestObserver(std::shared_ptr<sdk::RequestObserver> observer);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// GET|HEAD /healthz → 200 {"status":"ok"} (HEAD: no body); GET / → the
/// server banner (data-plane.md §1). All Access::Public.
void registerBuiltinRoutes(Router& router);

}  // namespace cpa::core
