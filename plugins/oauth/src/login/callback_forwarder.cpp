#include "login/callback_forwarder.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <stdexcept>

namespace cpa::oauth::login {

namespace {

class RedirectHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit RedirectHandler(const std::string& targetBase) : targetBase_(targetBase) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
        Poco::NullOutputStream sink;
        Poco::StreamCopier::copyStream(req.stream(), sink);
        std::string target = targetBase_;
        const std::string& uri = req.getURI();
        if (const auto q = uri.find('?'); q != std::string::npos && q + 1 < uri.size()) {
            target += (target.find('?') == std::string::npos ? "?" : "&") + uri.substr(q + 1);
        }
        res.set("Cache-Control", "no-store");
        res.set("Location", target);
        res.setStatus(Poco::Net::HTTPResponse::HTTP_FOUND);
        const std::string body = "<a href=\"" + target + "\">Found</a>.\n";
        res.setContentType("text/html; charset=utf-8");
        res.setContentLength(static_cast<std::streamsize>(body.size()));
        res.send() << body;
    }

private:
    const std::string& targetBase_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(const std::string& targetBase) : targetBase_(targetBase) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RedirectHandler(targetBase_);
    }

private:
    const std::string& targetBase_;
};

}  // namespace

struct CallbackForwarder::Impl {
    std::string targetBase;
    Poco::ThreadPool pool{1, 4};
    std::unique_ptr<Poco::Net::HTTPServer> server;
    std::mutex mutex;
    bool stopped{};
};

CallbackForwarder::CallbackForwarder(int port, std::string targetBase) : port_(port), impl_(std::make_unique<Impl>()) {
    impl_->targetBase = std::move(targetBase);
    try {
        Poco::Net::ServerSocket socket;
        // No SO_REUSEPORT: a second live listener on the port would share
        // its connections with this one.
        socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), true, false);
        socket.listen(16);
        auto* params = new Poco::Net::HTTPServerParams;
        params->setTimeout(Poco::Timespan(5, 0));
        params->setKeepAlive(false);
        impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl_->targetBase), impl_->pool, socket,
                                                                params);
        impl_->server->start();
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("failed to listen on 127.0.0.1:" + std::to_string(port) + ": " + e.displayText());
    }
}

CallbackForwarder::~CallbackForwarder() { stop(); }

void CallbackForwarder::stop() noexcept {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped || !impl_->server) return;
    impl_->stopped = true;
    try {
        impl_->server->stopAll(true);
        impl_->pool.joinAll();
        // TCPServer::stop leaves the listening socket open until destruction.
        impl_->server.reset();
    } catch (...) {
        // Stopping must not throw (called from destructors and stop()).
    }
}

std::shared_ptr<CallbackForwarder> ForwarderSet::start(int port, const std::string& targetBase) {
    std::shared_ptr<CallbackForwarder> previous;
    {
        std::lock_guard lock(mutex_);
        if (auto it = byPort_.find(port); it != byPort_.end()) {
            previous = it->second;
            byPort_.erase(it);
        }
    }
    if (previous) previous->stop();
    auto f = std::make_shared<CallbackForwarder>(port, targetBase);
    std::lock_guard lock(mutex_);
    byPort_[port] = f;
    return f;
}

void ForwarderSet::release(const std::shared_ptr<CallbackForwarder>& f) noexcept {
    if (!f) return;
    {
        std::lock_guard lock(mutex_);
        if (auto it = byPort_.find(f->port()); it != byPort_.end() && it->second == f) byPort_.erase(it);
    }
    f->stop();
}

void ForwarderSet::stopAll() noexcept {
    std::map<int, std::shared_ptr<CallbackForwarder>> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(byPort_);
    }
    for (auto& [port, f] : all) f->stop();
}

}  // namespace cpa::oauth::login
