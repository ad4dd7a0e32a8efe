// One upstream call: build (§7), connect through the pool and proxy (§7.1),
// send, wait for the head, then hand over to the stream or non-stream phase.
#include "upstream/http_executor.hpp"

#include "upstream/attempt.hpp"
#include "upstream/header_list.hpp"
#include "upstream/proxy_choice.hpp"
#include "upstream/url.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace cpa::proxy {

namespace {

using namespace cpa::proxy::upstream;

/// UTC with milliseconds; the seconds part is formatted once per second and thread.
std::string rfc3339Now() {
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    const auto secs = std::chrono::floor<std::chrono::seconds>(since);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since - secs).count();
    const std::time_t tt = static_cast<std::time_t>(secs.count());
    thread_local std::time_t cachedSecond = -1;
    thread_local char head[32];
    if (tt != cachedSecond) {
        std::tm utc{};
        gmtime_r(&tt, &utc);
        std::strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &utc);
        cachedSecond = tt;
    }
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", head, static_cast<int>(ms));
    return out;
}

bool usesNonstreamKeepalive(const ExecRequest& r) {
    if (r.stream || r.nonstreamKeepaliveSeconds <= 0) return false;
    switch (r.format) {
        case ClientFormat::Claude:
        case ClientFormat::OpenAICompletions:
        case ClientFormat::Responses:
        case ClientFormat::ResponsesCompact: return true;
        case ClientFormat::Gemini: return r.geminiMethod != "countTokens";
        case ClientFormat::OpenAIChat:
        case ClientFormat::ClaudeCountTokens: return false;
    }
    return false;
}

class HttpExecutor final : public Executor {
public:
    explicit HttpExecutor(cpa::sdk::Logger& log) : log_(log) {}
    ExecResult execute(const ExecRequest& request, ClientSink& sink) override;

private:
    /// Connects and sends; retries once on a fresh connection when a pooled
    /// one turns out dead before any response byte. False: result filled.
    bool sendAndReadHead(Attempt& a, const Url& url, const std::optional<Url>& proxy, const std::string& target,
                         std::string_view extraHeaders);

    cpa::sdk::Logger& log_;
    ConnectionPool pool_;
};

bool HttpExecutor::sendAndReadHead(Attempt& a, const Url& url, const std::optional<Url>& proxy,
                                   const std::string& target, std::string_view extraHeaders) {
    for (int round = 0; round < 2; ++round) {
        try {
            a.conn = pool_.acquire(url, proxy, a.deadline, round == 0);
        } catch (const DialError& e) {
            a.fail("connect", std::string("upstream connect failed: ") + e.what());
            return false;
        }
        // Plain sockets are only read after poll says readable; a TLS read may
        // wait for the rest of a record, bounded by the call's deadline.
        if (a.conn.socket.secure()) a.conn.socket.setReceiveTimeout(remaining(a.deadline));
        try {
            writeRequest(a.conn.socket, "POST", target, a.result.log.requestHeaders, a.call.body, extraHeaders);
        } catch (const std::exception& e) {
            try {
                a.conn.socket.close();
            } catch (const std::exception&) {
            }
            if (a.conn.reused) continue;
            a.fail("connect", std::string("upstream request failed: ") + e.what());
            return false;
        }
        a.reader = std::make_unique<ResponseReader>(a.conn.socket);
        ResponseReader* reader = a.reader.get();
        for (;;) {
            const ReadStatus st = reader->readHead(a.wakeAt());
            if (st == ReadStatus::Data) return true;
            if (st == ReadStatus::Wait) {
                if (Clock::now() >= a.deadline) {
                    a.fail("timeout", "upstream timed out before responding");
                    return false;
                }
                if (!a.tickNonstreamKeepalive()) return false;
                continue;
            }
            const bool retry = a.conn.reused && !reader->receivedAny() && round == 0;
            const std::string why = st == ReadStatus::Error ? reader->error() : "connection closed";
            a.reader.reset();
            try {
                a.conn.socket.close();
            } catch (const std::exception&) {
            }
            if (retry) break;
            a.fail("connect", "upstream closed the connection before responding: " + why);
            return false;
        }
    }
    a.fail("connect", "upstream connection failed");
    return false;
}

ExecResult HttpExecutor::execute(const ExecRequest& request, ClientSink& sink) {
    ExecResult result;
    result.log.timestamp = rfc3339Now();
    result.log.method = "POST";
    Attempt a{request, sink, result, {}, {}, nullptr, Clock::now() + request.timeout, {}, {}};
    if (usesNonstreamKeepalive(request)) {
        a.nonstreamKeepalive = std::chrono::seconds(request.nonstreamKeepaliveSeconds);
        a.nextKeepalive = Clock::now() + a.nonstreamKeepalive;
    }
    try {
        a.call = buildUpstreamCall(request);
    } catch (const std::exception& e) {
        a.fail("invalid_request", e.what());
        return result;
    }
    result.log.url = a.call.url;
    result.log.requestBody = a.call.body;
    const auto url = parseUrl(a.call.url);
    if (!url || (url->scheme != "http" && url->scheme != "https")) {
        a.fail("invalid_request", "invalid upstream URL " + a.call.url);
        return result;
    }
    HeaderList wire;
    if (!hasHeader(a.call.headers, "Host")) wire.emplace_back("Host", url->hostHeader());
    wire.insert(wire.end(), a.call.headers.begin(), a.call.headers.end());
    result.log.requestHeaders = std::move(wire);
    const auto proxy = chooseProxy(request.credential ? request.credential->proxyUrl : std::string{},
                                   request.globalProxyUrl, *url, a.call.useEnvironmentProxy, log_);

    // Plain http through an HTTP proxy: absolute form, the host as sent in
    // Host (Go writes req.Host there), proxy credentials on the request.
    std::string target = url->target;
    std::string extraHeaders;
    if (forwardsToProxy(*url, proxy)) {
        std::string host = getHeader(result.log.requestHeaders, "Host");
        if (host.empty() || host.find_first_of("\r\n \t/") != std::string::npos) host = url->hostHeader();
        target = "http://" + host + url->target;
        const std::string auth = proxyBasicAuth(*proxy);
        if (!auth.empty() && !hasHeader(result.log.requestHeaders, "Proxy-Authorization"))
            extraHeaders = "Proxy-Authorization: " + auth + "\r\n";
    }
    if (!sendAndReadHead(a, *url, proxy, target, extraHeaders)) {
        if (!result.errorMessage.empty()) result.log.errors.push_back(result.errorMessage);
        return result;
    }
    ResponseReader* reader = a.reader.get();
    result.log.responseTimestamp = rfc3339Now();
    result.log.responseStatus = reader->status();
    result.log.responseHeaders = reader->headers();
    result.status = reader->status();

    if (reader->status() < 200 || reader->status() > 299) {
        finishError(a);
    } else if (a.call.upstreamStreams && request.stream) {
        pumpStream(a);
    } else {
        finishNonStream(a);
    }
    if (!result.cancelled && reader->reusable()) {
        pool_.release(std::move(a.conn));
    } else {
        try {
            a.conn.socket.close();
        } catch (const std::exception&) {
        }
    }
    if (!result.errorMessage.empty()) result.log.errors.push_back(result.errorMessage);
    return result;
}

}  // namespace

std::unique_ptr<Executor> makeHttpExecutor(cpa::sdk::Logger& log) { return std::make_unique<HttpExecutor>(log); }

}  // namespace cpa::proxy
