#pragma once
// One client connection: reads requests with Poco's HTTP parser and hands
// each to the pipeline, until the client or a rule ends the connection.
// Replaces Poco's HTTPServerConnection, which per request built an epoll set
// to wait for the next one, asked the kernel for both socket addresses and
// allocated a handler and a response header map (see docs/benchmarks.md).
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
    bool awaitRequest(const ConnectionSession& session, bool first);

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
