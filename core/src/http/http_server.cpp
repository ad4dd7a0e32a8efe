#include "http/http_server.hpp"

#include "http/connection_acceptor.hpp"
#include "http/http_connection.hpp"
#include "http/listen_socket.hpp"
#include "http/request_pipeline.hpp"

#include <Poco/Net/HTTPServerParams.h>
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

}  // namespace

struct HttpServer::Impl {
    ServerOptions options;
    std::shared_ptr<PipelineContext> ctx = std::make_shared<PipelineContext>();
    std::unique_ptr<ConnectionAcceptor> acceptor;
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
    impl_->options = std::move(opts);
}

HttpServer::~HttpServer() {
    stop(std::chrono::milliseconds(0));
    Impl& s = *impl_;
    if (!s.acceptor) return;
    if (s.ctx->connections->size() == 0 && s.ctx->inFlight.load() == 0) {
        // Idle workers left accept(2) at stop; give the last ones time to return.
        if (!s.acceptor->join(std::chrono::seconds(5)))
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

    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(o.keepAliveTimeoutSeconds > 0 ? o.keepAliveTimeoutSeconds : 60, 0));
    params->setMaxKeepAliveRequests(std::max(0, o.maxKeepAliveRequests));
    params->setTimeout(Poco::Timespan(o.readTimeoutSeconds > 0 ? o.readTimeoutSeconds : 60, 0));

    std::shared_ptr<PipelineContext> ctx = s.ctx;
    auto serve = [ctx, params](Poco::Net::StreamSocket& socket, const Poco::Net::SocketAddress& peer) {
        HttpConnection(socket, peer, params, ctx).run();
    };
    s.acceptor = std::make_unique<ConnectionAcceptor>(static_cast<int>(s.socket.impl()->sockfd()), std::min(4, maxThreads),
                                                      maxThreads, std::move(serve), ctx->coreLog);
    s.acceptor->start();
    s.started = true;
}

std::uint16_t HttpServer::port() const { return impl_->port; }

std::size_t HttpServer::inFlight() const { return impl_->ctx->inFlight.load(); }

std::size_t HttpServer::openConnections() const { return impl_->ctx->connections->size(); }

void HttpServer::stop(std::chrono::milliseconds drain) noexcept {
    Impl& s = *impl_;
    try {
        std::lock_guard lock(s.lifecycle);
        if (!s.started || s.stopped) return;
        s.stopped = true;
        PipelineContext& ctx = *s.ctx;
        ctx.stopping.store(true);

        // No new connections: the socket stops listening, idle workers leave.
        s.acceptor->stop();
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
