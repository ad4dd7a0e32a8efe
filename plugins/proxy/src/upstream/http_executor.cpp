// One upstream call: build (data-plane.md §7), connect through the pool and proxy (§7.1),
// send, wait for the head, then hand over to the stream or non-stream phase.
#include "upstream/http_executor.hpp"

#include "upstream/attempt.hpp"
#include "upstream/header_list.hpp"
#include "upstream/proxy_choice.hpp"
#include "upstream/translation.hpp"
#include "upstream/url.hpp"

#include <cpa/sdk/time_format.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace cpa::proxy {

namespace {

using namespace cpa::proxy::upstream;

/// UTC with milliseconds.
std::string rfc3339Now() {
    return sdk::formatRfc3339(sdk::utcTime(std::chrono::system_clock::now()), sdk::TimeFraction::Millis);
}

/// parseUrl of the last URL this thread sent to: every call to one provider
/// parses the same text. The reference stays valid until the thread's next call.
const std::optional<Url>& parseUrlCached(const std::string& text) {
    thread_local std::string lastText;
    thread_local std::optional<Url> lastUrl;
    thread_local bool valid = false;
    if (!valid || text != lastText) {
        lastUrl = parseUrl(text);
        lastText = text;
        valid = true;
    }
    return lastUrl;
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
    bool sendAndReadHead(Attempt& a, const Url& url, const std::optional<Url>& proxy, std::string_view target,
                         std::string_view host, std::string_view extraHeaders);

    cpa::sdk::Logger& log_;
    ConnectionPool pool_;
};

bool HttpExecutor::sendAndReadHead(Attempt& a, const Url& url, const std::optional<Url>& proxy,
                                   std::string_view target, std::string_view host, std::string_view extraHeaders) {
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
            writeRequest(a.conn.socket, "POST", target, host, a.call.headers, a.call.body, extraHeaders);
        } catch (const std::exception& e) {
            try {
                a.conn.socket.close();
            } catch (const std::exception&) {
            }
            if (a.conn.reused) continue;
            a.fail("connect", std::string("upstream request failed: ") + e.what());
            return false;
        }
        ResponseReader* reader = &a.reader.emplace(a.conn.socket, &a.conn.recvTimeoutUs);
        for (;;) {
            const ReadStatus st = reader->readHead(a.wakeAt());
            if (st == ReadStatus::Data) return true;
            if (st == ReadStatus::Wait) {
                if (Clock::now() >= a.deadline) {
                    a.fail("timeout", "upstream timed out before responding");
                    return false;
                }
                if (!a.clientStillThere() || !a.tickNonstreamKeepalive()) return false;
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

/// A request the target format cannot express: the client's 400, in its
/// own error shape (translation.md §4); routing may still try other providers.
void refuseTranslation(const ExecRequest& request, ExecResult& result, const std::string& message) {
    result.status = 400;
    result.ok = false;
    result.errorCode = "invalid_request";
    result.errorMessage = message;
    const auto client = translatableFormat(request.format);
    result.errorBody = client ? translate::codecFor(*client).encodeError({400, message, "invalid_request"}) : "";
}

/// A count the target has no endpoint for, answered here (translation.md §1.5).
void answerLocally(const Translation& t, ExecResult& result) {
    result.ok = true;
    result.status = 200;
    result.responseStatus = 200;
    result.responseHeaders.emplace_back("Content-Type", "application/json");
    result.responseBody = localTokenCount(t);
}

// execute's steps, in order.

/// The translation an attempt needs, if any. False when the executor answered
/// already: a refused translation, or a count the target cannot make.
bool translateOrAnswer(const ExecRequest& request, ExecResult& result, std::optional<Translation>& translation) {
    try {
        translation = prepareTranslation(request);
    } catch (const std::exception& e) {
        refuseTranslation(request, result, e.what());
        return false;
    }
    if (translation && translation->countLocally) {
        answerLocally(*translation, result);
        return false;
    }
    return true;
}

/// Builds the upstream call (data-plane.md §7) into `a.call`; its URL, or null
/// (the attempt failed) for a request the builder refuses or a URL not http(s).
const Url* buildCall(Attempt& a, bool log) {
    try {
        a.call = buildUpstreamCall(a.req);
    } catch (const std::exception& e) {
        a.fail("invalid_request", e.what());
        return nullptr;
    }
    if (log) {
        a.result.log.url = a.call.url;
        a.result.log.requestBody = a.call.body;
    }
    const std::optional<Url>& url = parseUrlCached(a.call.url);
    if (!url || (url->scheme != "http" && url->scheme != "https")) {
        a.fail("invalid_request", "invalid upstream URL " + a.call.url);
        return nullptr;
    }
    return &*url;
}

/// How the request line reaches the upstream: plain http through an HTTP
/// proxy uses the absolute form, the host as sent in Host (Go writes req.Host
/// there), and the proxy's credentials on the request.
struct ProxiedTarget {
    std::string absoluteTarget;  ///< "" = the URL's own target
    std::string extraHeaders;
};

ProxiedTarget proxiedTarget(const Attempt& a, const Url& url, const std::optional<Url>& proxy,
                            const std::string& hostHeader) {
    ProxiedTarget t;
    if (!forwardsToProxy(url, proxy)) return t;
    std::string host = hostHeader.empty() ? getHeader(a.call.headers, "Host") : hostHeader;
    if (host.empty() || host.find_first_of("\r\n \t/") != std::string::npos) host = url.hostHeader();
    t.absoluteTarget = "http://" + host + url.target;
    const std::string auth = proxyBasicAuth(*proxy);
    if (!auth.empty() && !hasHeader(a.call.headers, "Proxy-Authorization"))
        t.extraHeaders = "Proxy-Authorization: " + auth + "\r\n";
    return t;
}

/// After the head: the error, stream or non-stream phase; then the connection
/// goes back to the pool when it can serve another call, else it is closed.
void finishAttempt(Attempt& a, ConnectionPool& pool) {
    ResponseReader* reader = &*a.reader;
    a.result.status = reader->status();
    if (reader->status() < 200 || reader->status() > 299) {
        finishError(a);
    } else if (a.call.upstreamStreams && a.req.stream) {
        pumpStream(a);
    } else {
        finishNonStream(a);
    }
    if (!a.result.cancelled && reader->reusable()) {
        pool.release(std::move(a.conn));
    } else {
        try {
            a.conn.socket.close();
        } catch (const std::exception&) {
        }
    }
}

ExecResult HttpExecutor::execute(const ExecRequest& request, ClientSink& sink) {
    ExecResult result;
    const bool log = request.recordLog;
    if (log) {
        result.log.timestamp = rfc3339Now();
        result.log.method = "POST";
    }
    std::optional<Translation> translation;
    if (!translateOrAnswer(request, result, translation)) return result;
    // A translated attempt runs as the target format's own request would;
    // only the answer's way back (framer, body, error) knows the client.
    const ExecRequest& native = translation ? translation->native : request;
    Attempt a{native, sink, result, {}, {}, {}, Clock::now() + request.timeout, {}, {}};
    if (translation) {
        a.translation = &*translation;
        a.clientRequest = &request;
    }
    if (usesNonstreamKeepalive(request)) {
        a.nonstreamKeepalive = std::chrono::seconds(request.nonstreamKeepaliveSeconds);
        a.nextKeepalive = Clock::now() + a.nonstreamKeepalive;
    }
    const Url* url = buildCall(a, log);
    if (!url) return result;
    // Sent first unless the builder set one; the logged list shows it the same way.
    const std::string hostHeader = hasHeader(a.call.headers, "Host") ? std::string() : url->hostHeader();
    if (log) {
        HeaderList& wire = result.log.requestHeaders;
        wire.reserve(a.call.headers.size() + 1);
        if (!hostHeader.empty()) wire.emplace_back("Host", hostHeader);
        wire.insert(wire.end(), a.call.headers.begin(), a.call.headers.end());
    }
    const auto proxy = chooseProxy(request.credential ? request.credential->proxyUrl : std::string{},
                                   request.globalProxyUrl, *url, a.call.useEnvironmentProxy, log_);
    const ProxiedTarget proxied = proxiedTarget(a, *url, proxy, hostHeader);
    const std::string_view target = proxied.absoluteTarget.empty() ? std::string_view(url->target)
                                                                    : std::string_view(proxied.absoluteTarget);
    if (sendAndReadHead(a, *url, proxy, target, hostHeader, proxied.extraHeaders)) {
        if (log) {
            result.log.responseTimestamp = rfc3339Now();
            result.log.responseStatus = a.reader->status();
            result.log.responseHeaders = a.reader->headers();
        }
        finishAttempt(a, pool_);
    }
    if (log && !result.errorMessage.empty()) result.log.errors.push_back(result.errorMessage);
    return result;
}

}  // namespace

std::unique_ptr<Executor> makeHttpExecutor(cpa::sdk::Logger& log) { return std::make_unique<HttpExecutor>(log); }

}  // namespace cpa::proxy
