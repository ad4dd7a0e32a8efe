#pragma once
// One client connection: reads request heads (connection_reader.hpp) and
// hands each to the pipeline. A worker serves it while requests come
// promptly; when the next request has not begun arriving within
// `parkAfter`, serve() says Park and the connection waits without a thread
// (connection_parking.hpp) until it is readable, then a worker resumes it
// with what it had read. Replaces Poco's HTTPServerConnection and its
// message classes, which cost per request an epoll set to wait for the next
// one, both socket addresses from the kernel, a handler, stream objects, a
// header map and repeated header parsing (see docs/architecture.md §4).
#include "http/peer_limit.hpp"
#include "http/request_pipeline.hpp"

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <memory>
#include <string>

namespace cpa::core {

class HttpConnection final {
public:
    using Clock = std::chrono::steady_clock;
    enum class Next { Close, Park };

    /// `peer`: the client's normalised address; `slot`: its place in the per-IP count.
    /// Registers the connection (the registry closes it at a drain).
    HttpConnection(const Poco::Net::StreamSocket& socket, std::string peer, PeerLimit::Slot slot,
                   std::shared_ptr<PipelineContext> ctx);
    /// Unregisters and closes the socket.
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    /// Serves requests on the calling thread until the connection ends
    /// (Close: destroy it) or the next request is slow to come (Park: hand it
    /// to the parking lot). `readable`: the socket is known to have bytes.
    Next serve(bool readable) noexcept;
    int fd() const noexcept;
    /// When a parked connection is closed unanswered: the header timeout of
    /// its first request or partial head, else the keep-alive timeout.
    Clock::time_point deadline() const noexcept { return deadline_; }

private:
    Next serveRequests(bool readable);

    Poco::Net::StreamSocket socket_;
    std::string peer_;
    PeerLimit::Slot slot_;
    std::shared_ptr<PipelineContext> ctx_;
    ConnectionReader reader_{socket_};
    Clock::time_point deadline_;
    bool betweenRequests_ = false;  ///< idle after a response: keep-alive timeout until the next byte
    int served_ = 0;
};

}  // namespace cpa::core
