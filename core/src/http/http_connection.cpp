#include "http/http_connection.hpp"

#include "http/lingering_close.hpp"

#include <algorithm>
#include <cerrno>
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
    // Go puts the reason into the status line and the body alike.
    if (error == ConnectionReader::Head::MissingHost) status = "400 Bad Request: missing required Host header";
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

// True once `fd` is readable (or hung up: the read reports it) within `wait`.
bool waitReadable(int fd, std::chrono::milliseconds wait) noexcept {
    using Clock = std::chrono::steady_clock;
    const auto until = Clock::now() + wait;
    pollfd p{};
    p.fd = fd;
    p.events = POLLIN;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        const int rc = ::poll(&p, 1, left > 0 ? static_cast<int>(left) : 0);
        if (rc > 0) return true;
        if (rc == 0 || errno != EINTR) return false;
    }
}

Poco::Timespan timespan(std::chrono::milliseconds ms) { return Poco::Timespan(ms.count() * 1000); }

}  // namespace

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket, std::string peer, PeerLimit::Slot slot,
                               std::shared_ptr<PipelineContext> ctx)
    : socket_(socket),
      peer_(std::move(peer)),
      slot_(std::move(slot)),
      ctx_(std::move(ctx)),
      deadline_(Clock::now() + ctx_->headerTimeout) {
    ctx_->connections->add(socket_);
}

HttpConnection::~HttpConnection() {
    ctx_->connections->remove(socket_);
    try {
        socket_.close();  // now, not when the last copy of the socket goes
    } catch (...) {
    }
}

int HttpConnection::fd() const noexcept { return static_cast<int>(socket_.impl()->sockfd()); }

HttpConnection::Next HttpConnection::serve(bool readable) noexcept {
    ctx_->connections->bindToThread(socket_);
    Next next = Next::Close;
    try {
        next = serveRequests(readable);
    } catch (...) {
        // A socket option on a dead connection: nothing left to serve.
    }
    if (next == Next::Park) {
        ctx_->connections->unbindFromThread(socket_);
        reader_.releaseIdleBuffer();
    }
    return next;
}

HttpConnection::Next HttpConnection::serveRequests(bool readable) {
    PipelineContext& ctx = *ctx_;
    if (served_ == 0 && !readable) {
        // TCP_NODELAY is already on: the acceptor sets it on every accepted socket.
        // Reading a body or sending: the client has this long between bytes.
        socket_.setReceiveTimeout(timespan(ctx.readTimeout));
        socket_.setSendTimeout(timespan(ctx.readTimeout));
    }
    bool needBytes = !readable && !reader_.hasBuffered();
    RequestHead head;
    for (;;) {
        if (ctx.stopping.load(std::memory_order_relaxed)) return Next::Close;
        if (needBytes) {
            // Wait on this thread only briefly; a slower client waits parked.
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
            if (left.count() <= 0) return Next::Close;
            if (!waitReadable(fd(), std::min(left, ctx.parkAfter)))
                return left <= ctx.parkAfter ? Next::Close : Next::Park;
        }
        const ConnectionReader::Head got = reader_.readHead(head);
        if (got == ConnectionReader::Head::Pending) {
            if (betweenRequests_ && reader_.hasBuffered()) {
                // The next request has begun: its head has the header timeout, as in Go.
                betweenRequests_ = false;
                deadline_ = Clock::now() + ctx.headerTimeout;
            }
            needBytes = true;
            continue;
        }
        if (got == ConnectionReader::Head::Closed) return Next::Close;
        if (got != ConnectionReader::Head::Ok) {
            sendHeadError(socket_, got);
            lingeringClose(socket_);
            return Next::Close;
        }
        ++served_;
        ResponseFrame frame;
        frame.head = head.method == "HEAD";
        frame.http10 = head.http10;
        frame.keepAlive = head.keepAlive && (ctx.maxKeepAliveRequests <= 0 || served_ < ctx.maxKeepAliveRequests);
        if (!handleRequest(ctx, head, reader_, peer_, frame)) return Next::Close;
        betweenRequests_ = true;
        deadline_ = Clock::now() + ctx.keepAliveTimeout;
        needBytes = !reader_.hasBuffered();
    }
}

}  // namespace cpa::core
