#pragma once
// One client connection on a Poco TCPServer thread: reads request heads
// (connection_reader.hpp) and hands each to the pipeline, until the client or
// a rule ends the connection. Replaces Poco's HTTPServerConnection and its
// message classes, which cost per request an epoll set to wait for the next
// one, both socket addresses from the kernel, a handler, stream objects, a
// header map and repeated header parsing (see docs/architecture.md §4).
#include "http/request_pipeline.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <memory>

namespace cpa::core {

class HttpConnection final : public Poco::Net::TCPServerConnection {
public:
    HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                   std::shared_ptr<PipelineContext> ctx);
    void run() override;

private:
    /// Waits until the next request's first byte is readable; false on
    /// timeout, hang-up or error.
    bool awaitRequest(const ConnectionReader& reader, bool first);

    Poco::Net::HTTPServerParams::Ptr params_;
    std::shared_ptr<PipelineContext> ctx_;
};

class HttpConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    HttpConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, std::shared_ptr<PipelineContext> ctx)
        : params_(std::move(params)), ctx_(std::move(ctx)) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        return new HttpConnection(socket, params_, ctx_);
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    std::shared_ptr<PipelineContext> ctx_;
};

}  // namespace cpa::core
