#pragma once
// One client connection on the worker that accepted it: reads request heads
// (connection_reader.hpp) and hands each to the pipeline, until the client or
// a rule ends the connection. Replaces Poco's HTTPServerConnection and its
// message classes, which cost per request an epoll set to wait for the next
// one, both socket addresses from the kernel, a handler, stream objects, a
// header map and repeated header parsing (see docs/architecture.md §4).
#include "http/request_pipeline.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <memory>

namespace cpa::core {

class HttpConnection final {
public:
    /// `params`: read/keep-alive timeouts and the keep-alive request limit.
    HttpConnection(Poco::Net::StreamSocket& socket, const Poco::Net::SocketAddress& peer,
                   Poco::Net::HTTPServerParams::Ptr params, std::shared_ptr<PipelineContext> ctx);
    void run();

private:
    /// Waits until the next request's first byte is readable; false on
    /// timeout, hang-up or error.
    bool awaitRequest(const ConnectionReader& reader, bool first);

    Poco::Net::StreamSocket& socket_;
    const Poco::Net::SocketAddress& peer_;
    Poco::Net::HTTPServerParams::Ptr params_;
    std::shared_ptr<PipelineContext> ctx_;
};

}  // namespace cpa::core
