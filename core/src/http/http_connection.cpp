#include "http/http_connection.hpp"

#include "http/client_ip.hpp"
#include "http/lingering_close.hpp"

#include <cerrno>
#include <chrono>
#include <string>
#include <string_view>

#include <poll.h>

namespace cpa::core {

namespace {

// The answer to a head that cannot be served, as Go's net/http (the
// original's server) gives it; the connection closes after it.
void sendHeadError(Poco::Net::StreamSocket& socket, ConnectionReader::Head error) noexcept {
    std::string_view status = "400 Bad Request";
    if (error == ConnectionReader::Head::TooLarge) status = "431 Request Header Fields Too Large";
    if (error == ConnectionReader::Head::UnsupportedCoding) status = "501 Not Implemented";
    std::string wire = "HTTP/1.1 ";
    wire += status;
    wire += "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ";
    wire += std::to_string(status.size());
    wire += "\r\n\r\n";
    wire += status;
    try {
        socket.sendBytes(wire.data(), static_cast<int>(wire.size()));
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

HttpConnection::HttpConnection(Poco::Net::StreamSocket& socket, const Poco::Net::SocketAddress& peer,
                               Poco::Net::HTTPServerParams::Ptr params, std::shared_ptr<PipelineContext> ctx)
    : socket_(socket), peer_(peer), params_(std::move(params)), ctx_(std::move(ctx)) {}

bool HttpConnection::awaitRequest(const ConnectionReader& reader, bool first) {
    if (reader.hasBuffered()) return true;  // pipelined: already read
    const Poco::Timespan wait = first ? params_->getTimeout() : params_->getKeepAliveTimeout();
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::microseconds(wait.totalMicroseconds());
    pollfd p{};
    p.fd = socket_.impl()->sockfd();
    p.events = POLLIN;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        const int rc = ::poll(&p, 1, left > 0 ? static_cast<int>(left) : 0);
        if (rc > 0) return true;  // data, or a hang-up the read below reports
        if (rc == 0 || errno != EINTR) return false;
    }
}

void HttpConnection::run() {
    // TCP_NODELAY is already on: the acceptor sets it on every accepted socket.
    Poco::Net::StreamSocket& s = socket_;
    PipelineContext& ctx = *ctx_;
    Registration registration(*ctx.connections, s);
    // Once per connection, not per request (accept(2) reported it).
    const std::string peer = normalizePeerAddress(peer_.host().toString());
    try {
        // Reading a head or body: the client has this long between bytes.
        s.setReceiveTimeout(params_->getTimeout());
        s.setSendTimeout(params_->getTimeout());
        ConnectionReader reader(s);
        RequestHead head;
        const int maxRequests = params_->getMaxKeepAliveRequests();  // ≤ 0: unlimited
        int served = 0;
        while (!ctx.stopping.load(std::memory_order_relaxed) && awaitRequest(reader, served == 0)) {
            const auto headDeadline =
                std::chrono::steady_clock::now() + std::chrono::microseconds(params_->getTimeout().totalMicroseconds());
            const ConnectionReader::Head got = reader.readHead(head, headDeadline);
            if (got == ConnectionReader::Head::Closed) break;
            if (got != ConnectionReader::Head::Ok) {
                sendHeadError(s, got);
                lingeringClose(s);
                break;
            }
            ++served;
            ResponseFrame frame;
            frame.head = head.method == "HEAD";
            frame.http10 = head.http10;
            frame.keepAlive = params_->getKeepAlive() && head.keepAlive && (maxRequests <= 0 || served < maxRequests);
            if (!handleRequest(ctx, head, reader, peer, frame)) break;
        }
    } catch (...) {
        // A socket option on a dead connection: nothing left to serve.
    }
}

}  // namespace cpa::core
