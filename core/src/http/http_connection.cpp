#include "http/http_connection.hpp"

#include "http/client_ip.hpp"

#include <Poco/Net/NetException.h>

#include <cerrno>
#include <chrono>

#include <poll.h>

namespace cpa::core {

namespace {

// Poco's answer to an unparsable head, with an explicit empty body.
void sendBadRequest(Poco::Net::StreamSocket& socket) noexcept {
    static constexpr char kBadRequest[] = "HTTP/1.1 400 Bad Request\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n";
    try {
        socket.sendBytes(kBadRequest, sizeof kBadRequest - 1);
    } catch (...) {
        // The client is gone as well.
    }
}

struct Registration {
    Registration(ConnectionRegistry& r, const Poco::Net::StreamSocket& s) : registry(r), socket(s) { registry.add(socket); }
    ~Registration() { registry.remove(socket); }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ConnectionRegistry& registry;
    const Poco::Net::StreamSocket& socket;
};

}  // namespace

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                               std::shared_ptr<PipelineContext> ctx)
    : TCPServerConnection(socket), params_(std::move(params)), ctx_(std::move(ctx)) {}

bool HttpConnection::awaitRequest(const ConnectionSession& session, bool first) {
    if (session.hasBufferedInput()) return true;  // pipelined: already read
    const Poco::Timespan wait = first ? params_->getTimeout() : params_->getKeepAliveTimeout();
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::microseconds(wait.totalMicroseconds());
    pollfd p{};
    p.fd = const_cast<HttpConnection*>(this)->socket().impl()->sockfd();
    p.events = POLLIN;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        const int rc = ::poll(&p, 1, left > 0 ? static_cast<int>(left) : 0);
        if (rc > 0) return true;  // data, or a hang-up the read below reports
        if (rc == 0 || errno != EINTR) return false;
    }
}

void HttpConnection::run() {
    Poco::Net::StreamSocket& s = socket();
    try {
        s.setNoDelay(true);
    } catch (...) {
        // Not fatal: only latency suffers.
    }
    PipelineContext& ctx = *ctx_;
    Registration registration(*ctx.connections, s);
    // Once per connection, not per request.
    std::string peer;
    try {
        peer = normalizePeerAddress(s.peerAddress().host().toString());
    } catch (...) {
        // Already disconnected: the first read ends the connection.
    }
    try {
        ConnectionSession session(s, params_);
        const int maxRequests = params_->getMaxKeepAliveRequests();  // ≤ 0: unlimited
        int served = 0;
        while (!ctx.stopping.load(std::memory_order_relaxed) && awaitRequest(session, served == 0)) {
            ServerRequest request(session);
            try {
                request.readHead();
            } catch (const Poco::Net::NoMessageException&) {
                break;  // the client closed an idle connection
            } catch (const Poco::Net::MessageException&) {
                sendBadRequest(s);
                break;
            }
            ++served;
            ResponseFrame frame;
            frame.head = request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD;
            frame.http10 = request.getVersion() == Poco::Net::HTTPMessage::HTTP_1_0;
            frame.keepAlive = params_->getKeepAlive() && request.getKeepAlive() &&
                              (maxRequests <= 0 || served < maxRequests);
            if (!handleRequest(ctx, request, peer, frame)) break;
        }
    } catch (...) {
        // Timeouts and resets while reading a head: the connection is over.
    }
}

}  // namespace cpa::core
