// The baseline for bench/proxy-bench.sh: the least a Poco reverse proxy does.
// HTTPServer in front, one keep-alive HTTPClientSession per server thread to
// the upstream, body forwarded, response streamed back chunk by chunk.
// Usage: cpa_bench_forwarder <listen-port> <upstream-port> [upstream-path-prefix]
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
#include <Poco/ThreadPool.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>

namespace {

int upstreamPort = 0;
std::string prefix;

class Forward : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
        thread_local std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (!session) {
            session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(upstreamPort));
            session->setKeepAlive(true);
        }
        std::string body;
        Poco::StreamCopier::copyToString(req.stream(), body);
        Poco::Net::HTTPRequest up(Poco::Net::HTTPRequest::HTTP_POST, prefix + req.getURI(),
                                  Poco::Net::HTTPMessage::HTTP_1_1);
        up.setContentType("application/json");
        up.setContentLength(static_cast<std::streamsize>(body.size()));
        up.setKeepAlive(true);
        try {
            session->sendRequest(up) << body;
            Poco::Net::HTTPResponse upRes;
            std::istream& in = session->receiveResponse(upRes);
            res.setStatus(upRes.getStatus());
            res.setContentType(upRes.getContentType());
            res.setChunkedTransferEncoding(true);
            std::ostream& out = res.send();
            char buf[16384];
            for (int c = in.get(); c != EOF; c = in.get()) {  // flush whatever arrived
                out.put(static_cast<char>(c));
                const std::streamsize n = in.readsome(buf, sizeof buf);
                out.write(buf, n);
                out.flush();
            }
        } catch (const Poco::Exception& e) {
            session.reset();
            if (!res.sent()) {
                res.setStatus(Poco::Net::HTTPResponse::HTTP_BAD_GATEWAY);
                res.send() << e.displayText();
            }
        }
    }
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Forward;
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: cpa_bench_forwarder <listen-port> <upstream-port> [path-prefix]\n";
        return 2;
    }
    const int port = std::atoi(argv[1]);
    upstreamPort = std::atoi(argv[2]);
    prefix = argc > 3 ? argv[3] : "";
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
    params->setMaxKeepAliveRequests(0);
    params->setKeepAliveTimeout(Poco::Timespan(60, 0));
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    Poco::Net::HTTPServer server(new Factory, pool, socket, params);
    server.start();
    std::cerr << "forwarder listening on 127.0.0.1:" << socket.address().port() << std::endl;
    int sig = 0;
    sigwait(&set, &sig);
    server.stopAll(true);
    return 0;
}
