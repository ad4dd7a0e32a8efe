#include "http/http_server.hpp"

#include "http/connection_acceptor.hpp"
#include "http/connection_parking.hpp"
#include "http/http_connection.hpp"
#include "http/listen_socket.hpp"
#include "http/peer_limit.hpp"
#include "http/request_pipeline.hpp"

#include <Poco/Net/ServerSocket.h>

#include <algorithm>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace cpa::core {

namespace {

class NullLogger final : public sdk::Logger {
public:
    void log(sdk::LogLevel, std::string_view) override {}
};

// A peer that resets its connection must not kill the process with SIGPIPE;
// respect a handler someone else installed.
void ignoreSigpipe() {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGPIPE, &ignore, nullptr);
    }
}

// A peer over http-server.max-connections-per-ip: told so, then closed
// (any request it already sent is not read, so the close may reach it as a reset).
void refuseOverLimit(Poco::Net::StreamSocket& socket) noexcept {
    static constexpr char kBusy[] =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
        "Content-Length: 23\r\n\r\n503 Service Unavailable";
    try {
        socket.sendBytes(kBusy, sizeof kBusy - 1);
        socket.shutdownSend();
    } catch (...) {
        // Gone already.
    }
}

}  // namespace

struct HttpServer::Impl {
    ServerOptions options;
    std::shared_ptr<PipelineContext> ctx = std::make_shared<PipelineContext>();
    std::unique_ptr<ConnectionAcceptor> acceptor;
    std::shared_ptr<ConnectionParking> parking;
    Poco::Net::ServerSocket socket;
    std::uint16_t port = 0;
    std::mutex lifecycle;
    bool started = false;
    bool stopped = false;
};

HttpServer::HttpServer(ServerOptions opts, std::shared_ptr<Router> router, AccessGuards guards,
                       std::shared_ptr<sdk::Logger> accessLog, std::shared_ptr<sdk::Logger> coreLog)
    : impl_(std::make_unique<Impl>()) {
    if (!router) throw std::invalid_argument("HttpServer needs a router");
    PipelineContext& ctx = *impl_->ctx;
    ctx.trustedProxies = TrustedProxies(opts.trustedProxies);
    ctx.router = std::move(router);
    ctx.guards = std::move(guards);
    ctx.accessLog = accessLog ? std::move(accessLog) : std::make_shared<NullLogger>();
    ctx.coreLog = coreLog ? std::move(coreLog) : std::make_shared<NullLogger>();
    ctx.maxBodyBytes = opts.maxBodyBytes;
    using std::chrono::seconds;
    ctx.headerTimeout = seconds(opts.headerTimeoutSeconds > 0 ? opts.headerTimeoutSeconds : 10);
    ctx.keepAliveTimeout = seconds(opts.keepAliveTimeoutSeconds > 0 ? opts.keepAliveTimeoutSeconds : 60);
    ctx.readTimeout = seconds(opts.readTimeoutSeconds > 0 ? opts.readTimeoutSeconds : 60);
    ctx.parkAfter = std::chrono::milliseconds(std::max(1, opts.parkAfterMilliseconds));
    ctx.maxKeepAliveRequests = std::max(0, opts.maxKeepAliveRequests);
    ctx.maxManagementBodyBytes = opts.maxManagementBodyBytes;
    impl_->options = std::move(opts);
}

HttpServer::~HttpServer() {
    stop(std::chrono::milliseconds(0));
    Impl& s = *impl_;
    if (!s.acceptor) return;
    if (s.ctx->connections->size() == 0 && s.ctx->inFlight.load() == 0) {
        // Idle workers left accept(2) at stop; give the last ones time to return.
        if (!s.acceptor->join(std::chrono::seconds(5)) || !s.parking->join(std::chrono::seconds(5)))
            s.ctx->coreLog->warning("HTTP worker threads still running after stop; leaving them");
    } else {
        // A handler that ignores its aborted socket keeps its worker: leave it
        // running; the request's state is kept alive by shared pointers.
        s.ctx->coreLog->error("HTTP server destroyed with requests still running; leaving their threads");
    }
    s.acceptor.reset();
}

void HttpServer::start() {
    Impl& s = *impl_;
    std::lock_guard lock(s.lifecycle);
    if (s.started) throw std::logic_error("HttpServer::start called twice");
    if (!s.ctx->router->frozen()) s.ctx->router->freeze();
    ignoreSigpipe();

    const ServerOptions& o = s.options;
    const int maxThreads = std::max(2, o.maxThreads);
    const int maxQueued = std::max(1, o.maxQueued);
    s.socket = openListenSocket(o.host, o.port, std::clamp(maxQueued, 64, 4096));
    s.port = s.socket.address().port();

    std::shared_ptr<PipelineContext> ctx = s.ctx;
    s.parking = std::make_shared<ConnectionParking>(maxThreads, ctx->coreLog);
    s.parking->start();
    // Loopback peers are exempt from the per-IP cap: they are this host's own
    // processes (a reverse proxy in front of us carries every client through
    // one, and benchmarks open thousands of streams); trusted proxies alike.
    auto peers = std::make_shared<PeerLimit>(o.maxConnectionsPerIp);
    auto serve = [ctx, parking = s.parking, peers, capLoopback = o.capLoopbackPeers](
                     Poco::Net::StreamSocket& socket, const Poco::Net::SocketAddress& address) {
        // Once per connection, not per request (accept(2) reported it).
        std::string peer = normalizePeerAddress(address.host().toString());
        PeerLimit::Slot slot;
        const bool exempt = (!capLoopback && isLoopbackPeer(peer)) || ctx->trustedProxies.contains(peer);
        if (!peers->admit(peer, exempt, slot)) {
            refuseOverLimit(socket);
            return;
        }
        auto connection = std::make_unique<HttpConnection>(socket, std::move(peer), std::move(slot), ctx);
        if (connection->serve(false) == HttpConnection::Next::Park) parking->park(std::move(connection));
    };
    s.acceptor = std::make_unique<ConnectionAcceptor>(static_cast<int>(s.socket.impl()->sockfd()), std::min(4, maxThreads),
                                                      maxThreads, std::move(serve), ctx->coreLog);
    s.acceptor->start();
    s.started = true;
}

std::uint16_t HttpServer::port() const { return impl_->port; }

std::size_t HttpServer::inFlight() const { return impl_->ctx->inFlight.load(); }

std::size_t HttpServer::openConnections() const { return impl_->ctx->connections->size(); }

std::size_t HttpServer::parkedConnections() const { return impl_->parking ? impl_->parking->parked() : 0; }

void HttpServer::stop(std::chrono::milliseconds drain) noexcept {
    Impl& s = *impl_;
    try {
        std::lock_guard lock(s.lifecycle);
        if (!s.started || s.stopped) return;
        s.stopped = true;
        PipelineContext& ctx = *s.ctx;
        ctx.stopping.store(true);

        // No new connections: the socket stops listening, idle workers leave;
        // parked (idle) connections close at once.
        s.acceptor->stop();
        s.parking->stop();
        try {
            s.socket.close();
        } catch (...) {
        }

        using clock = std::chrono::steady_clock;
        auto idle = [&ctx] { return ctx.connections->size() == 0 && ctx.inFlight.load() == 0; };
        const auto deadline = clock::now() + drain;
        // Repeated: a connection finishing its request goes idle later.
        while (!idle() && clock::now() < deadline) {
            ctx.connections->closeIdle();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (!idle()) {
            ctx.coreLog->warning("drain time over: aborting " + std::to_string(ctx.connections->size()) +
                                 " connection(s), " + std::to_string(ctx.inFlight.load()) + " request(s) in flight");
            const auto grace = clock::now() + std::chrono::seconds(2);
            while (!idle() && clock::now() < grace) {
                ctx.connections->closeAll();
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
    } catch (...) {
        // stop() must not throw (it runs from shutdown paths).
    }
}

std::size_t HttpServer::activeStreams() const { return impl_->ctx->activeStreams.load(std::memory_order_relaxed); }

void HttpServer::setRequestObserver(std::shared_ptr<sdk::RequestObserver> observer) {
    impl_->ctx->observer = std::move(observer);
}

}  // namespace cpa::core
