#include "loopback_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

#include <strings.h>

namespace cpa::test {

std::string SeenRequest::header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
        if (::strcasecmp(k.c_str(), name.c_str()) == 0) return v;
    }
    return "";
}

struct LoopbackServer::Impl {
    mutable std::mutex mutex;
    std::vector<SeenRequest> seen;
    CannedReply reply;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    int port = 0;
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(LoopbackServer::Impl* impl) : impl_(impl) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
        SeenRequest s;
        s.method = req.getMethod();
        s.target = req.getURI();
        for (const auto& [k, v] : req) s.headers.emplace_back(k, v);
        Poco::StreamCopier::copyToString(req.stream(), s.body);
        CannedReply reply;
        {
            std::lock_guard lock(impl_->mutex);
            impl_->seen.push_back(std::move(s));
            reply = impl_->reply;
        }
        res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
        for (const auto& [k, v] : reply.headers) res.add(k, v);
        res.setContentLength(static_cast<std::streamsize>(reply.body.size()));
        res.send() << reply.body;
    }

private:
    LoopbackServer::Impl* impl_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(LoopbackServer::Impl* impl) : impl_(impl) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(impl_);
    }

private:
    LoopbackServer::Impl* impl_;
};

}  // namespace

LoopbackServer::LoopbackServer(CannedReply reply) : impl_(std::make_unique<Impl>()) {
    impl_->reply = std::move(reply);
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    impl_->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl_.get()), socket, params);
    impl_->server->start();
}

LoopbackServer::~LoopbackServer() { impl_->server->stopAll(true); }

int LoopbackServer::port() const { return impl_->port; }

std::string LoopbackServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(impl_->port) + path;
}

std::vector<SeenRequest> LoopbackServer::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->seen;
}

void LoopbackServer::setReply(CannedReply reply) {
    std::lock_guard lock(impl_->mutex);
    impl_->reply = std::move(reply);
}

}  // namespace cpa::test
