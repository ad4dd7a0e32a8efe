#include "http/request_pipeline.hpp"

#include "http/access_log.hpp"
#include "http/exception_mapping.hpp"
#include "http/server_request.hpp"
#include "http/server_response.hpp"
#include "http/query_string.hpp"
#include "http/request_id.hpp"
#include "http/lingering_close.hpp"
#include "http/request_logging.hpp"
#include "runtime/logger.hpp"

#include <cpa/sdk/url_encoding.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <vector>

namespace cpa::core {

namespace {

constexpr std::string_view kJsonType = "application/json; charset=utf-8";

// Headers every response keeps, even when an error replaces a half-built one.
const std::vector<std::string>& baselineHeaders() {
    static const std::vector<std::string> names = {"X-Request-Id", "Access-Control-Allow-Origin",
                                                   "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"};
    return names;
}

void setBaselineHeaders(ServerResponse& res, const std::string& requestId) {
    res.setHeader("X-Request-Id", requestId);
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", "*");
}

void bodyTooLarge(ServerResponse& res) {
    res.setStatus(413);
    res.setBody(R"({"error":"request body too large"})", kJsonType);
}

void notFound(ServerResponse& res) {
    res.setStatus(404);
    res.setBody("404 page not found", "text/plain");
}

/// Splits the request target into a decoded path and the raw query; nullopt
/// when the path holds a malformed escape.
std::optional<RequestLine> parseTarget(const std::string& method, const std::string& target) {
    std::string_view t = target;
    if (const auto hash = t.find('#'); hash != std::string_view::npos) t = t.substr(0, hash);
    // Absolute form ("http://host/path") → its path.
    if (!t.empty() && t.front() != '/') {
        if (const auto scheme = t.find("://"); scheme != std::string_view::npos) {
            const auto slash = t.find_first_of("/?", scheme + 3);
            t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
        }
    }
    RequestLine line;
    line.methodText = method;
    const auto q = t.find('?');
    std::string_view rawPath = t.substr(0, q);
    if (q != std::string_view::npos) line.rawQuery = std::string(t.substr(q + 1));
    if (rawPath.empty()) rawPath = "/";
    auto decoded = sdk::percentDecode(rawPath, false);
    if (!decoded) return std::nullopt;
    line.path = std::move(*decoded);
    return line;
}

struct InFlight {
    explicit InFlight(std::atomic<std::size_t>& n) : count(n) { count.fetch_add(1, std::memory_order_relaxed); }
    ~InFlight() { count.fetch_sub(1, std::memory_order_release); }
    std::atomic<std::size_t>& count;
};

struct BusyMark {
    BusyMark(ConnectionRegistry& r, const Poco::Net::Socket& s) : registry(r), socket(s) { registry.setBusy(socket, true); }
    ~BusyMark() { registry.setBusy(socket, false); }
    ConnectionRegistry& registry;
    const Poco::Net::Socket& socket;
};

// Written when not even the response object could be built (out of memory).
void sendBareError(Poco::Net::StreamSocket& socket) noexcept {
    static constexpr char kError[] =
        "HTTP/1.1 500 Internal Server Error\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n";
    try {
        socket.sendBytes(kError, sizeof kError - 1);
    } catch (...) {
    }
}

/// The route's body bound: its own, else the management default for
/// management routes, never above the server's (0 = unlimited).
std::size_t bodyLimit(const PipelineContext& ctx, const Route& route) {
    std::size_t limit = route.maxBodyBytes;
    if (limit == 0 && route.access == sdk::Access::Management) limit = ctx.maxManagementBodyBytes;
    if (ctx.maxBodyBytes != 0 && (limit == 0 || limit > ctx.maxBodyBytes)) limit = ctx.maxBodyBytes;
    return limit;
}

/// Runs the chain for a matched route; writes the response into `res`.
void dispatch(PipelineContext& ctx, const RouteMatch& match, ServerRequest& req, ServerResponse& res) {
    const Route& route = *match.route;
    for (const MiddlewareEntry& m : ctx.router->middleware(sdk::Phase::BeforeAccess))
        if (m.middleware->onRequest(req, res) == sdk::Next::Stop) return;

    switch (route.access) {
        case sdk::Access::Public:
            break;
        case sdk::Access::Management:
            if (!ctx.guards.management) {
                res.setStatus(404);  // management API not enabled: empty body
                return;
            }
            if (ctx.guards.management->check(req, res) == sdk::Next::Stop) return;
            break;
        case sdk::Access::ClientKey:
            if (!ctx.guards.clientKey) {
                res.setStatus(401);
                res.setBody(R"({"error":"Missing API key"})", kJsonType);
                return;
            }
            if (ctx.guards.clientKey->check(req, res) == sdk::Next::Stop) return;
            break;
    }

    for (const MiddlewareEntry& m : ctx.router->middleware(sdk::Phase::AfterAccess))
        if (m.middleware->onRequest(req, res) == sdk::Next::Stop) return;

    route.handler(req, res);
}

void runOnComplete(PipelineContext& ctx, const ServerRequest& req, const ServerResponse& res, bool matched) noexcept {
    const auto& after = ctx.router->middleware(matched ? sdk::Phase::AfterAccess : sdk::Phase::Unrouted);
    static const std::vector<MiddlewareEntry> kNone;
    const auto& before = matched ? ctx.router->middleware(sdk::Phase::BeforeAccess) : kNone;
    auto call = [&](const MiddlewareEntry& m) {
        try {
            m.middleware->onComplete(req, res);
        } catch (...) {
            logWithRequestId(*ctx.coreLog, sdk::LogLevel::Error, req.requestId(),
                             "request " + req.requestId() + ": middleware onComplete threw");
        }
    };
    // Every middleware of the route, whether or not its onRequest ran (a guard
    // or an earlier middleware may have stopped the chain); for a request that
    // matched no route, the Unrouted ones.
    for (auto it = after.rbegin(); it != after.rend(); ++it) call(*it);
    for (auto it = before.rbegin(); it != before.rend(); ++it) call(*it);
}

void abortConnection(Poco::Net::StreamSocket& socket) noexcept {
    try {
        socket.shutdown();
    } catch (...) {
        // Already gone.
    }
}

/// The request's id: the client's own X-Request-Id when it is a safe token
/// (issue 25; the first line counts), else a new one.
std::string requestIdFor(const RequestHead& head) noexcept {
    try {
        for (const auto& [k, v] : head.headers) {
            if (!headerNameEquals(k, "X-Request-Id")) continue;
            if (safeClientRequestId(v)) return v;
            break;
        }
        return newRequestId();
    } catch (...) {
        return "0000000000000000";
    }
}

/// The client's IP after trusted-proxy processing of the forwarding headers.
std::string clientIpFor(const RequestHead& head, const std::string& peer, const TrustedProxies& trusted) {
    // Every line of a header counts: a proxy may add its own line after
    // the client's instead of appending to it.
    auto headerValues = [&head](std::string_view name) -> std::optional<std::string> {
        std::optional<std::string> joined;
        for (const auto& [k, v] : head.headers) {
            if (!headerNameEquals(k, name)) continue;
            joined = joined ? *joined + ", " + v : v;
        }
        return joined;
    };
    return resolveClientIp(peer, trusted, headerValues);
}

/// How the core answered: through a route, without one (method known), or by
/// a handler's exception that left no response to send.
struct Answer {
    bool matched = false;
    bool unrouted = false;  ///< answered by the core without a route, method known
    bool abort = false;
};

/// Routes the request and runs its chain: 400 for a malformed target, 204 for
/// a preflight, 404 without a route, 413 over the body bound, else dispatch.
/// A thrown exception becomes the response (exception_mapping.hpp).
Answer answerRequest(PipelineContext& ctx, bool targetOk, const RequestHead& head, ServerRequest& req, ServerResponse& res) {
    Answer a;
    try {
        sdk::Method method{};
        if (!targetOk) {
            res.setStatus(400);
            res.setBody("400 Bad Request", "text/plain; charset=utf-8");
        } else if (head.method == "OPTIONS") {
            res.setStatus(204);  // CORS preflight, before routing and auth
            req.setUnrouted(sdk::Method::Options);
            a.unrouted = true;
        } else if (!parseMethod(head.method, method)) {
            notFound(res);
        } else if (RouteMatch match = ctx.router->match(method, req.path()); !match) {
            notFound(res);
            req.setUnrouted(method);
            a.unrouted = true;
        } else {
            a.matched = true;
            req.setRoute(method, match.route->access, match.route->pattern, std::move(match.params));
            const std::size_t limit = bodyLimit(ctx, *match.route);
            req.limitBody(limit);
            if (limit != 0 && head.contentLength && *head.contentLength > limit) {
                // Refused unread: the connection closes (finishBody in sendAnswer).
                req.refuseBody();
                bodyTooLarge(res);
            } else {
                dispatch(ctx, match, req, res);
            }
        }
    } catch (...) {
        res.reset(baselineHeaders());
        a.abort = !mapException(std::current_exception(), res, req.requestId(), *ctx.coreLog);
    }
    // A chunked body over the limit is found while it is read; a handler
    // that turned that into an answer of its own (e.g. throwing "invalid
    // body") still answers 413, as an announced length would (A5).
    if (req.bodyTooLarge() && !a.abort && !res.streaming() && res.status() != 413) {
        res.reset(baselineHeaders());
        bodyTooLarge(res);
    }
    return a;
}

/// Sends the response (or cuts the connection after an abort) and deals with
/// a body the handler left unread.
void sendAnswer(Poco::Net::StreamSocket& socket, ServerRequest& req, ServerResponse& res, bool abort) {
    const bool bodyLeft = !req.finishBody();
    if (bodyLeft) res.closeAfter();
    if (abort) {
        // Headers (and part of a stream) are out: cut the connection so the
        // client sees a broken response rather than a clean end.
        res.closeAfter();
        abortConnection(socket);
    } else if (!res.send()) {
        res.closeAfter();
    } else if (bodyLeft) {
        lingeringClose(socket);
    }
}

/// Tells the request observer (the metrics module) about the finished request.
void observe(sdk::RequestObserver& observer, const ServerRequest& req, const ServerResponse& res, bool matched,
             std::chrono::steady_clock::time_point started, std::chrono::nanoseconds latency) {
    sdk::RequestSample sample;
    sample.method = req.methodText();
    sample.routed = matched;
    if (matched) {
        sample.routePattern = req.routePattern();
        sample.access = req.access();
    }
    sample.status = res.status();
    sample.latencyNs = latency.count();
    if (const auto first = res.firstByteAt())
        sample.firstByteNs = std::chrono::duration_cast<std::chrono::nanoseconds>(*first - started).count();
    sample.streamed = res.streaming();
    observer.onRequest(sample);
}

void logAccess(const PipelineContext& ctx, const std::string& requestId, const ServerRequest& req,
               const ServerResponse& res, std::chrono::nanoseconds latency) noexcept {
    try {
        // JSON logs (log-format: json) carry the line's parts as fields too.
        logAccessLine(*ctx.accessLog, accessLogLevel(res.status()), requestId,
                      formatAccessLine(res.status(), latency, req.clientIp(), req.methodText(), req.path(),
                                       req.rawQuery()),
                      jsonLogs() ? formatAccessFields(res.status(), latency, req.clientIp(), req.methodText(),
                                                      req.path(), req.rawQuery())
                                 : std::string());
    } catch (...) {
        // Out of memory formatting the line: the response is already out
        // (possibly written past Poco, so the handler below must not run).
    }
}

}  // namespace

bool handleRequest(PipelineContext& ctx, RequestHead& head, ConnectionReader& reader, const std::string& peerAddress,
                   ResponseFrame frame) noexcept {
    const auto started = std::chrono::steady_clock::now();
    InFlight inFlight(ctx.inFlight);
    Poco::Net::StreamSocket& socket = reader.socket();
    BusyMark busy(*ctx.connections, socket);
    const std::string requestId = requestIdFor(head);

    try {
        ServerResponse res(socket, frame);
        res.countStreamsIn(ctx.activeStreams);
        setBaselineHeaders(res, requestId);
        if (ctx.stopping.load(std::memory_order_relaxed)) res.closeAfter();

        const auto target = parseTarget(head.method, head.target);
        RequestLine line = target ? *target : RequestLine{head.method, head.target, {}};
        std::string clientIp = clientIpFor(head, peerAddress, ctx.trustedProxies);
        ServerRequest req(head, reader, std::move(line), std::string(peerAddress), std::move(clientIp), requestId,
                          ctx.maxBodyBytes);

        const Answer a = answerRequest(ctx, target.has_value(), head, req, res);
        sendAnswer(socket, req, res, a.abort);
        if (a.matched || a.unrouted) runOnComplete(ctx, req, res, a.matched);

        const auto latency =
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started);
        if (ctx.observer) observe(*ctx.observer, req, res, a.matched, started, latency);
        logAccess(ctx, requestId, req, res, latency);
        return !res.closing();
    } catch (...) {
        // Only reachable if building the adapters failed (e.g. out of memory).
        try {
            logWithRequestId(*ctx.coreLog, sdk::LogLevel::Error, requestId,
                             "request " + requestId + ": internal failure before the response was built");
        } catch (...) {
        }
        sendBareError(socket);
        return false;
    }
}

}  // namespace cpa::core
