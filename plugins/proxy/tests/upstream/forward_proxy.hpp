#pragma once
// A loopback forwarding HTTP proxy (what Go's transport talks to for plain-http
// targets): takes absolute-form requests over keep-alive connections, records
// request line, Host and Proxy-Authorization, forwards in origin form and
// answers with the upstream's buffered response.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cpa::proxy::testing {

class ForwardProxy {
public:
    struct Seen {
        std::string uri;   ///< the request target as received (absolute form expected)
        std::string host;  ///< Host header
        std::string auth;  ///< Proxy-Authorization ("" if absent)
    };

    ForwardProxy() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        auto* params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(true);
        params->setMaxThreads(8);
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, params);
        server_->start();
    }
    ~ForwardProxy() { server_->stopAll(true); }

    int port() const { return socket_.address().port(); }
    /// TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests).
    int connections() const { return static_cast<int>(server_->totalConnections()); }
    std::vector<Seen> seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(ForwardProxy& p) : p_(p) {}
        void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
            std::string body;
            Poco::StreamCopier::copyToString(req.stream(), body);
            {
                std::lock_guard lock(p_.mutex_);
                p_.seen_.push_back({req.getURI(), req.getHost(), req.get("Proxy-Authorization", "")});
            }
            const Poco::URI uri(req.getURI());
            // Only absolute-form requests to loopback are forwarded; anything else is refused here.
            if (uri.getScheme() != "http" || uri.getHost() != "127.0.0.1") {
                res.setStatus(Poco::Net::HTTPResponse::HTTP_BAD_GATEWAY);
                res.setContentLength(0);
                res.send();
                return;
            }
            Poco::Net::HTTPClientSession up("127.0.0.1", uri.getPort());
            Poco::Net::HTTPRequest fwd(req.getMethod(), uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
            for (const auto& [k, v] : req)
                if (Poco::icompare(k, "Proxy-Authorization") != 0 && Poco::icompare(k, "Connection") != 0)
                    fwd.set(k, v);
            fwd.setContentLength(static_cast<std::streamsize>(body.size()));
            up.sendRequest(fwd) << body;
            Poco::Net::HTTPResponse upRes;
            std::istream& in = up.receiveResponse(upRes);
            std::string out;
            Poco::StreamCopier::copyToString(in, out);
            res.setStatus(upRes.getStatus());
            res.setContentType(upRes.getContentType());
            res.setContentLength(static_cast<std::streamsize>(out.size()));
            res.send() << out;
        }

    private:
        ForwardProxy& p_;
    };
    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(ForwardProxy& p) : p_(p) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(p_);
        }

    private:
        ForwardProxy& p_;
    };

    Poco::Net::ServerSocket socket_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    mutable std::mutex mutex_;
    std::vector<Seen> seen_;
};

}  // namespace cpa::proxy::testing
