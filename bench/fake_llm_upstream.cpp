// The upstream for bench/proxy-bench.sh: answers any POST like an
// OpenAI-compatible provider. Non-stream: one chat.completion JSON with usage.
// Stream ("stream":true in the body): 20 content chunks, a usage chunk and
// [DONE], each written and flushed on its own, PACE_MS apart (argument 2).
// POST /v1/messages answers like Claude: one message JSON, or (streaming) its
// event sequence with 20 text deltas, equally paced.
// GET /count answers the number of POSTs served so far (the bench checks
// that a proxy makes exactly one upstream request per client request).
//   cpa_bench_llm_upstream [port [pace_ms [max_threads]]]
// Every connection holds a thread (Poco), a paced stream for its whole
// length: max_threads (default 1024) bounds the concurrent streams. When it
// is given, threads get 256 KiB stacks and the listen backlog is 4096, not 64
// (bench/streams-bench.sh opens thousands of streams at once).
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
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

const std::string kClaudeJson =
    R"({"id":"msg_bench","type":"message","role":"assistant","model":"bench-model",)"
    R"("content":[{"type":"text","text":"Hello from the bench upstream."}],"stop_reason":"end_turn",)"
    R"("stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":7}})";

std::string claudeEvent(const char* type, const std::string& json) {
    return std::string("event: ") + type + "\ndata: " + json + "\n\n";
}

void claudeStream(std::ostream& out) {
    out << claudeEvent("message_start",
                       R"({"type":"message_start","message":{"id":"msg_bench","type":"message","role":"assistant",)"
                       R"("model":"bench-model","content":[],"stop_reason":null,"usage":{"input_tokens":12,"output_tokens":1}}})")
        << claudeEvent("content_block_start",
                       R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})")
        << std::flush;
    for (int i = 0; i < 20 && out; ++i) {
        if (paceMs > 0 && i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(paceMs));
        out << claudeEvent("content_block_delta", R"({"type":"content_block_delta","index":0,)"
                                                  R"("delta":{"type":"text_delta","text":"token)" +
                                                      std::to_string(i) + R"( "}})")
            << std::flush;
    }
    out << claudeEvent("content_block_stop", R"({"type":"content_block_stop","index":0})")
        << claudeEvent("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn",)"
                                        R"("stop_sequence":null},"usage":{"output_tokens":20}})")
        << claudeEvent("message_stop", R"({"type":"message_stop"})") << std::flush;
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
        if (req.getURI().rfind("/v1/messages", 0) == 0) {
            if (!stream) {
                res.setContentType("application/json");
                res.setContentLength(static_cast<std::streamsize>(kClaudeJson.size()));
                res.send() << kClaudeJson;
                return;
            }
            res.setContentType("text/event-stream");
            res.setChunkedTransferEncoding(true);
            claudeStream(res.send());
            return;
        }
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

    const int maxThreads = argc > 3 ? std::max(16, std::atoi(argv[3])) : 1024;
    const bool many = argc > 3;  // given: sized for many connections
    Poco::ThreadPool pool(16, maxThreads, 60, many ? 256 * 1024 : POCO_THREAD_STACK_SIZE);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(maxThreads);
    params->setMaxQueued(4096);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);
    params->setKeepAliveTimeout(Poco::Timespan(60, 0));
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
                                   many ? 4096 : 64);
    Poco::Net::HTTPServer server(new Factory, pool, socket, params);
    server.start();
    std::cerr << "upstream listening on 127.0.0.1:" << socket.address().port() << std::endl;
    int sig = 0;
    sigwait(&set, &sig);
    server.stopAll(true);
    return 0;
}
