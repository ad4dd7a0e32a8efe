// The upstream for bench/proxy-bench.sh: answers any POST like an
// OpenAI-compatible provider. Non-stream: one chat.completion JSON with usage.
// Stream ("stream":true in the body): 20 content chunks, a usage chunk and
// [DONE], each written and flushed on its own, PACE_MS apart (argument 2).
// GET /count answers the number of POSTs served so far (the bench checks
// that a proxy makes exactly one upstream request per client request).
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace {

int paceMs = 0;
std::atomic<long long> posts{0};

const std::string kJson =
    R"({"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-model",)"
    R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the bench upstream."},)"
    R"("finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}})";

std::string chunk(int i) {
    return R"(data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,)"
           R"("model":"bench-model","choices":[{"index":0,"delta":{"content":"token)" +
           std::to_string(i) + R"( "},"finish_reason":null}],"usage":null})" + "\n\n";
}

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
        std::string body;
        Poco::StreamCopier::copyToString(req.stream(), body);
        if (req.getMethod() == "GET" && req.getURI() == "/count") {
            const std::string n = std::to_string(posts.load());
            res.setContentType("text/plain");
            res.setContentLength(static_cast<std::streamsize>(n.size()));
            res.send() << n;
            return;
        }
        ++posts;
        const bool stream = body.find("\"stream\":true") != std::string::npos;
        if (!stream) {
            res.setContentType("application/json");
            res.setContentLength(static_cast<std::streamsize>(kJson.size()));
            res.send() << kJson;
            return;
        }
        res.setContentType("text/event-stream");
        res.setChunkedTransferEncoding(true);
        std::ostream& out = res.send();
        for (int i = 0; i < 20 && out; ++i) {
            if (paceMs > 0 && i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(paceMs));
            out << chunk(i) << std::flush;
        }
        out << R"(data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,)"
               R"("model":"bench-model","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":20,"total_tokens":32}})"
            << "\n\n" << std::flush;
        out << "data: [DONE]\n\n" << std::flush;
    }
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler;
    }
};

}  // namespace

int main(int argc, char** argv) {
    const int port = argc > 1 ? std::atoi(argv[1]) : 0;
    paceMs = argc > 2 ? std::atoi(argv[2]) : 0;
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
    std::cerr << "upstream listening on 127.0.0.1:" << socket.address().port() << std::endl;
    int sig = 0;
    sigwait(&set, &sig);
    server.stopAll(true);
    return 0;
}
