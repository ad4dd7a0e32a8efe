// The baseline for bench/management-bench.sh: a minimal Poco HTTPServer that
// answers every request with a small JSON body, configured with the same
// thread pool and queue sizes as cpa-server's defaults.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <limits>

namespace {

class Hello : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
        req.stream().ignore(std::numeric_limits<std::streamsize>::max());
        static const std::string body = R"({"switch-project":true})";
        res.setContentType("application/json; charset=utf-8");
        res.setContentLength(static_cast<std::streamsize>(body.size()));
        res.send() << body;
    }
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Hello;
    }
};

}  // namespace

int main(int argc, char** argv) {
    const int port = argc > 1 ? std::atoi(argv[1]) : 0;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    Poco::ThreadPool pool(16, 1024, 60);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(1024);
    params->setMaxQueued(4096);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(60, 0));
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    Poco::Net::HTTPServer server(new Factory, pool, socket, params);
    server.start();
    std::cerr << "hello listening on 127.0.0.1:" << socket.address().port() << std::endl;
    int sig = 0;
    sigwait(&set, &sig);
    server.stopAll(true);
    return 0;
}
