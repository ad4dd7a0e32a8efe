// The HTTP core end to end: a real HttpServer on 127.0.0.1:0 driven with
// Poco's HTTP client over real sockets.
#include "capture_logger.hpp"
#include "http/http_server.hpp"

#include <cpa/sdk/errors.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <istream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <utility>
#include <stdexcept>
#include <thread>

namespace cpa::core {
namespace {

using namespace std::chrono_literals;
using test::CaptureLogger;
using Clock = std::chrono::steady_clock;

struct Reply {
    int status = 0;
    std::string body;
    std::multimap<std::string, std::string> headers;  // lower-case names
    bool chunked = false;
    bool keepAlive = true;

    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string("<absent>") : it->second;
    }
};

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Reply call(Poco::Net::HTTPClientSession& session, const std::string& method, const std::string& uri,
           const std::string& body = {}, const std::vector<sdk::Header>& headers = {}, bool chunkedBody = false) {
    Poco::Net::HTTPRequest req(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (chunkedBody) {
        req.setChunkedTransferEncoding(true);
    } else if (!body.empty() || method == "POST" || method == "PUT") {
        req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    std::ostream& os = session.sendRequest(req);
    os << body;
    Poco::Net::HTTPResponse res;
    std::istream& is = session.receiveResponse(res);
    Reply r;
    r.status = res.getStatus();
    std::ostringstream ss;
    ss << is.rdbuf();
    r.body = ss.str();
    for (const auto& [k, v] : res) r.headers.emplace(lower(k), v);
    r.chunked = res.getChunkedTransferEncoding();
    r.keepAlive = res.getKeepAlive();
    return r;
}

/// The local port of the session's socket: a silently reconnected session gets a new one.
Poco::UInt16 localPort(Poco::Net::HTTPClientSession& s) { return s.socket().address().port(); }

class RejectingGuard : public AccessGuard {
public:
    sdk::Next check(sdk::Request& req, sdk::Response& res) override {
        if (req.header("X-Key").value_or("") == "good") {
            req.setAttribute("client-key", sdk::Value("good"));
            return sdk::Next::Continue;
        }
        res.json(401, sdk::Value::object({{"error", "Invalid API key"}}));
        return sdk::Next::Stop;
    }
};

/// What middleware and handlers saw, in order; shared by request threads.
class Journal {
public:
    void add(std::string entry) {
        std::lock_guard lock(mutex_);
        entries_.push_back(std::move(entry));
    }
    /// Waits until `n` entries are there (onComplete runs after the response was sent).
    std::vector<std::string> take(std::size_t n) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (true) {
            {
                std::lock_guard lock(mutex_);
                if (entries_.size() >= n || std::chrono::steady_clock::now() > deadline) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // catch extra entries
                    return std::exchange(entries_, {});
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }

private:
    std::mutex mutex_;
    std::vector<std::string> entries_;
};

// Phase::Unrouted: onComplete only, for requests no route matched.
class UnroutedRecorder : public sdk::Middleware {
public:
    explicit UnroutedRecorder(std::shared_ptr<Journal> journal) : journal_(std::move(journal)) {}
    sdk::Next onRequest(sdk::Request&, sdk::Response&) override {
        journal_->add("unrouted.request");  // must never happen
        return sdk::Next::Continue;
    }
    void onComplete(const sdk::Request& req, const sdk::Response& res) noexcept override {
        journal_->add("unrouted." + std::string(sdk::methodName(req.method())) + " " + req.path() + " " +
                      std::to_string(res.status()) + " [" + req.routePattern() + "]");
    }

private:
    std::shared_ptr<Journal> journal_;
};

class RecordingMiddleware : public sdk::Middleware {
public:
    RecordingMiddleware(std::string name, std::shared_ptr<Journal> journal, bool stop = false)
        : name_(std::move(name)), journal_(std::move(journal)), stop_(stop) {}
    sdk::Next onRequest(sdk::Request& req, sdk::Response& res) override {
        if (req.routePattern() != "/mw") return sdk::Next::Continue;
        journal_->add(name_ + ".request");
        if (stop_ && req.header("X-Stop")) {
            res.text(429, "stopped by " + name_);
            return sdk::Next::Stop;
        }
        return sdk::Next::Continue;
    }
    void onComplete(const sdk::Request& req, const sdk::Response& res) noexcept override {
        if (req.routePattern() != "/mw") return;
        journal_->add(name_ + ".complete." + std::to_string(res.status()));
    }

private:
    std::string name_;
    std::shared_ptr<Journal> journal_;
    bool stop_;
};

class HttpServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        router = std::make_shared<Router>();
        registerBuiltinRoutes(*router);
        router->route(sdk::Method::Get, "/throw", sdk::Access::Public,
                      [](sdk::Request&, sdk::Response& res) {
                          res.setHeader("X-Half-Built", "yes");
                          throw std::runtime_error("secret detail 42");
                      });
        router->route(sdk::Method::Get, "/throw-int", sdk::Access::Public,
                      [](sdk::Request&, sdk::Response&) { throw 7; });
        router->route(sdk::Method::Get, "/teapot", sdk::Access::Public,
                      [](sdk::Request&, sdk::Response&) { throw sdk::HttpError(418, "short and stout"); });
        router->route(sdk::Method::Get, "/bad-status", sdk::Access::Public,
                      [](sdk::Request&, sdk::Response&) { throw sdk::HttpError(1000, "nonsense"); });
        router->route(sdk::Method::Post, "/echo", sdk::Access::Public, [](sdk::Request& req, sdk::Response& res) {
            res.text(200, req.body());
        });
        router->route(sdk::Method::Post, "/ignore-body", sdk::Access::Public,
                      [](sdk::Request&, sdk::Response& res) { res.text(200, "ignored"); });
        router->route(sdk::Method::Get, "/items/:id", sdk::Access::Public,
                      [](sdk::Request& req, sdk::Response& res) {
                          res.text(200, req.param("id") + "|" + req.query("q").value_or("-"));
                      });
        router->route(sdk::Method::Get, "/whoami", sdk::Access::Public, [](sdk::Request& req, sdk::Response& res) {
            res.text(200, req.clientIp() + "|" + req.peerAddress());
        });
        router->route(sdk::Method::Get, "/stream", sdk::Access::Public, [](sdk::Request&, sdk::Response& res) {
            res.setHeader("Content-Type", "text/event-stream");
            sdk::StreamWriter& w = res.stream();
            for (const char* part : {"data: one\n\n", "data: two\n\n", "data: three\n\n"}) {
                w.write(part);
                w.flush();
                std::this_thread::sleep_for(150ms);
            }
        });
        router->route(sdk::Method::Get, "/stream-then-throw", sdk::Access::Public,
                      [](sdk::Request&, sdk::Response& res) {
                          sdk::StreamWriter& w = res.stream();
                          w.write("data: partial\n\n");
                          w.flush();
                          throw std::runtime_error("upstream died");
                      });
        router->route(sdk::Method::Get, "/endless", sdk::Access::Public, [this](sdk::Request&, sdk::Response& res) {
            sdk::StreamWriter& w = res.stream();
            const auto until = Clock::now() + 10s;
            while (Clock::now() < until && w.write("data: tick\n\n") && w.flush())
                std::this_thread::sleep_for(20ms);
            endlessEnded = true;
        });
        router->route(sdk::Method::Get, "/slow", sdk::Access::Public, [](sdk::Request&, sdk::Response& res) {
            std::this_thread::sleep_for(600ms);
            res.text(200, "done");
        });
        router->route(sdk::Method::Get, "/mgmt", sdk::Access::Management,
                      [](sdk::Request&, sdk::Response& res) { res.text(200, "mgmt"); });
        router->route(sdk::Method::Get, "/client", sdk::Access::ClientKey, [](sdk::Request& req, sdk::Response& res) {
            const sdk::Value* key = req.attribute("client-key");
            res.text(200, key ? key->asString() : "none");
        });
        router->route(sdk::Method::Get, "/mw", sdk::Access::ClientKey,
                      [this](sdk::Request&, sdk::Response& res) {
                          mwLog->add("handler");
                          res.text(200, "mw");
                      });
        router->use(sdk::Phase::AfterAccess, 5, std::make_shared<RecordingMiddleware>("after", mwLog));
        router->use(sdk::Phase::BeforeAccess, 10, std::make_shared<RecordingMiddleware>("before2", mwLog, true));
        router->use(sdk::Phase::BeforeAccess, 1, std::make_shared<RecordingMiddleware>("before1", mwLog));
        router->use(sdk::Phase::Unrouted, 1, std::make_shared<UnroutedRecorder>(unroutedLog));
        router->freeze();
    }

    void TearDown() override {
        if (server) server->stop(2s);
    }

    void start(ServerOptions opts = {}, AccessGuards guards = {}) {
        opts.host = opts.host.empty() ? "127.0.0.1" : opts.host;
        opts.port = 0;
        if (opts.maxBodyBytes == ServerOptions{}.maxBodyBytes) opts.maxBodyBytes = 1024;
        opts.maxThreads = 16;
        opts.maxQueued = 64;
        server = std::make_unique<HttpServer>(opts, router, std::move(guards), accessLog, coreLog);
        server->start();
        ASSERT_NE(server->port(), 0);
    }

    std::unique_ptr<Poco::Net::HTTPClientSession> session() {
        auto s = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", server->port());
        s->setKeepAlive(true);
        s->setTimeout(Poco::Timespan(10, 0));
        return s;
    }

    std::shared_ptr<Router> router;
    std::shared_ptr<CaptureLogger> accessLog = std::make_shared<CaptureLogger>();
    std::shared_ptr<CaptureLogger> coreLog = std::make_shared<CaptureLogger>();
    std::unique_ptr<HttpServer> server;
    std::shared_ptr<Journal> mwLog = std::make_shared<Journal>();
    std::shared_ptr<Journal> unroutedLog = std::make_shared<Journal>();
    std::atomic<bool> endlessEnded{false};
};

void expectBaselineHeaders(const Reply& r) {
    const std::string id = r.header("x-request-id");
    EXPECT_EQ(id.size(), 16u) << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    EXPECT_EQ(r.header("access-control-allow-origin"), "*");
    EXPECT_EQ(r.header("access-control-allow-methods"), "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    EXPECT_EQ(r.header("access-control-allow-headers"), "*");
}

TEST_F(HttpServerTest, Healthz) {
    start();
    auto session_ = session();
    auto& s = *session_;
    Reply r = call(s, "GET", "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    expectBaselineHeaders(r);

    r = call(s, "HEAD", "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");
    expectBaselineHeaders(r);
    // The connection is still usable after a HEAD (no stray body bytes).
    r = call(s, "GET", "/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body,
              R"({"message":"CLI Proxy API Server","endpoints":["POST /v1/chat/completions","POST /v1/completions","GET /v1/models"]})");
}

TEST_F(HttpServerTest, NotFoundIsPlainText) {
    start();
    auto session_ = session();
    auto& s = *session_;
    for (const auto& [method, uri] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/nope"}, {"POST", "/healthz"}, {"HEAD", "/"}, {"TRACE", "/healthz"}, {"GET", "/healthz/"}}) {
        Reply r = call(s, method, uri);
        EXPECT_EQ(r.status, 404) << method << " " << uri;
        if (method != "HEAD") {
            EXPECT_EQ(r.body, "404 page not found") << method << " " << uri;
        }
        EXPECT_EQ(r.header("content-type"), "text/plain") << method << " " << uri;
        expectBaselineHeaders(r);
    }
    const auto line = accessLog->waitFor("\"/nope\"");
    EXPECT_EQ(line.first, sdk::LogLevel::Warning);
    EXPECT_NE(line.second.find("404 |"), std::string::npos) << line.second;
}

TEST_F(HttpServerTest, OptionsIsNoContentWithCors) {
    start();
    auto session_ = session();
    auto& s = *session_;
    for (const std::string uri : {"/nothing/here", "/mgmt", "/client"}) {
        Reply r = call(s, "OPTIONS", uri, {}, {{"Access-Control-Request-Method", "POST"}});
        EXPECT_EQ(r.status, 204) << uri;
        EXPECT_EQ(r.body, "");
        EXPECT_EQ(r.header("content-length"), "<absent>");
        expectBaselineHeaders(r);
    }
    EXPECT_EQ(call(s, "GET", "/healthz").status, 200);  // keep-alive intact
}

TEST_F(HttpServerTest, RequestIdsDifferPerRequest) {
    start();
    auto session_ = session();
    auto& s = *session_;
    std::set<std::string> ids;
    for (int i = 0; i < 200; ++i) ids.insert(call(s, "GET", i % 2 ? "/healthz" : "/missing").header("x-request-id"));
    EXPECT_EQ(ids.size(), 200u);
}

TEST_F(HttpServerTest, ThrowingHandlerGives500AndKeepsConnection) {
    start();
    auto session_ = session();
    auto& s = *session_;
    EXPECT_EQ(call(s, "GET", "/healthz").status, 200);
    const auto port = localPort(s);

    Reply r = call(s, "GET", "/throw");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, R"({"error":"internal server error"})");
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.header("x-half-built"), "<absent>");
    expectBaselineHeaders(r);
    EXPECT_TRUE(r.keepAlive);

    Reply again = call(s, "GET", "/healthz");
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(localPort(s), port) << "the client had to reconnect";

    // The detail is logged with the request id, never sent.
    const auto logged = coreLog->waitFor("secret detail 42");
    EXPECT_NE(logged.second.find(r.header("x-request-id")), std::string::npos) << logged.second;
    EXPECT_EQ(logged.first, sdk::LogLevel::Error);
    EXPECT_EQ(accessLog->waitFor("\"/throw\"").first, sdk::LogLevel::Error);

    r = call(s, "GET", "/throw-int");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, R"({"error":"internal server error"})");
    EXPECT_EQ(call(s, "GET", "/healthz").status, 200);
    EXPECT_EQ(localPort(s), port);
}

TEST_F(HttpServerTest, HttpErrorBecomesItsResponse) {
    start();
    auto session_ = session();
    auto& s = *session_;
    Reply r = call(s, "GET", "/teapot");
    EXPECT_EQ(r.status, 418);
    EXPECT_EQ(r.body, R"({"error":"short and stout"})");
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    expectBaselineHeaders(r);
}

TEST_F(HttpServerTest, HttpErrorWithInvalidStatusIs500) {
    start();
    auto session_ = session();
    auto& s = *session_;
    Reply r = call(s, "GET", "/bad-status");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, R"({"error":"internal server error"})");
    EXPECT_EQ(call(s, "GET", "/healthz").status, 200);
}

TEST_F(HttpServerTest, LargeUnreadBodyClosesTheConnection) {
    ServerOptions o;
    o.maxBodyBytes = 1 << 20;
    start(o);
    auto session_ = session();
    auto& s = *session_;
    Reply r = call(s, "POST", "/ignore-body", std::string(400 * 1024, 'z'));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "ignored");
    EXPECT_FALSE(r.keepAlive);
    // Within the limit the body is still accepted when read.
    auto other = session();
    EXPECT_EQ(call(*other, "POST", "/echo", std::string(400 * 1024, 'z')).body.size(), 400u * 1024);
}

TEST_F(HttpServerTest, BodyAndParams) {
    start();
    auto session_ = session();
    auto& s = *session_;
    EXPECT_EQ(call(s, "POST", "/echo", "hello body").body, "hello body");
    EXPECT_EQ(call(s, "POST", "/echo", std::string(1024, 'x')).body, std::string(1024, 'x'));
    EXPECT_EQ(call(s, "POST", "/echo", "chunked hello", {}, true).body, "chunked hello");
    EXPECT_EQ(call(s, "GET", "/items/a%20b?q=x%2By+z").body, "a b|x+y z");
    EXPECT_EQ(call(s, "GET", "/items/7").body, "7|-");
    // An unread body does not poison the next request on the connection.
    const auto port = localPort(s);
    EXPECT_EQ(call(s, "POST", "/ignore-body", "some body the handler never read").body, "ignored");
    EXPECT_EQ(call(s, "GET", "/healthz").status, 200);
    EXPECT_EQ(localPort(s), port);
}

TEST_F(HttpServerTest, OversizedBodyIs413) {
    start();
    {
        auto session_ = session();
        auto& s = *session_;
        Reply r = call(s, "POST", "/echo", std::string(1025, 'x'));
        EXPECT_EQ(r.status, 413);
        EXPECT_EQ(r.body, R"({"error":"request body too large"})");
        EXPECT_FALSE(r.keepAlive);
        expectBaselineHeaders(r);
    }
    {
        // Far bigger than socket buffers: the client must still get the 413.
        auto session_ = session();
        auto& s = *session_;
        Reply r = call(s, "POST", "/echo", std::string(3 * 1024 * 1024, 'x'));
        EXPECT_EQ(r.status, 413);
        EXPECT_EQ(r.body, R"({"error":"request body too large"})");
    }
    {
        auto session_ = session();
        auto& s = *session_;
        Reply r = call(s, "POST", "/echo", std::string(5000, 'y'), {}, true);
        EXPECT_EQ(r.status, 413);
        EXPECT_EQ(r.body, R"({"error":"request body too large"})");
    }
    // The server is fine afterwards.
    auto session_ = session();
    auto& s = *session_;
    EXPECT_EQ(call(s, "GET", "/healthz").status, 200);
}

TEST_F(HttpServerTest, StreamedResponseArrivesInChunks) {
    start();
    auto session_ = session();
    auto& s = *session_;
    Poco::Net::HTTPRequest req("GET", "/stream", Poco::Net::HTTPMessage::HTTP_1_1);
    s.sendRequest(req);
    Poco::Net::HTTPResponse res;
    std::istream& is = s.receiveResponse(res);
    const auto headersAt = Clock::now();
    EXPECT_EQ(res.getStatus(), 200);
    EXPECT_TRUE(res.getChunkedTransferEncoding());
    EXPECT_EQ(res.getContentType(), "text/event-stream");
    EXPECT_EQ(res.get("X-Request-Id").size(), 16u);

    std::string line;
    std::getline(is, line);
    EXPECT_EQ(line, "data: one");
    const auto firstAt = Clock::now();
    std::ostringstream rest;
    rest << is.rdbuf();
    const auto endAt = Clock::now();
    EXPECT_EQ(rest.str(), "\ndata: two\n\ndata: three\n\n");
    // The first event came long before the handler finished (~450 ms total).
    EXPECT_LT(firstAt - headersAt, 100ms);
    EXPECT_GT(endAt - firstAt, 250ms);
    // And the connection is reusable after the chunked body.
    EXPECT_EQ(call(s, "GET", "/healthz").status, 200);
}

TEST_F(HttpServerTest, ExceptionWhileStreamingCutsTheConnection) {
    start();
    Poco::Net::StreamSocket sock(Poco::Net::SocketAddress("127.0.0.1", server->port()));
    sock.setReceiveTimeout(Poco::Timespan(5, 0));
    const std::string req = "GET /stream-then-throw HTTP/1.1\r\nHost: x\r\n\r\n";
    sock.sendBytes(req.data(), static_cast<int>(req.size()));
    std::string got;
    char buf[4096];
    while (true) {
        int n = 0;
        try {
            n = sock.receiveBytes(buf, sizeof buf);
        } catch (const Poco::Exception&) {
            break;  // reset counts as cut too
        }
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    EXPECT_NE(got.find("data: partial"), std::string::npos) << got;
    // No terminating zero-length chunk: the client can tell the stream broke.
    EXPECT_EQ(got.find("\r\n0\r\n\r\n"), std::string::npos) << got;
    EXPECT_NE(coreLog->waitFor("upstream died").second, "");
}

TEST_F(HttpServerTest, AccessGuards) {
    auto guard = std::make_shared<RejectingGuard>();
    {
        start();  // no guards: both classes closed
        auto session_ = session();
        auto& s = *session_;
        Reply r = call(s, "GET", "/mgmt");
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.body, "");
        expectBaselineHeaders(r);
        r = call(s, "GET", "/client");
        EXPECT_EQ(r.status, 401);
        EXPECT_EQ(r.body, R"({"error":"Missing API key"})");
        server->stop(1s);
    }
    start({}, AccessGuards{guard, guard});
    auto session_ = session();
    auto& s = *session_;
    Reply r = call(s, "GET", "/client");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, R"({"error":"Invalid API key"})");
    expectBaselineHeaders(r);
    r = call(s, "GET", "/client", {}, {{"X-Key", "good"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "good");
    EXPECT_EQ(call(s, "GET", "/mgmt", {}, {{"X-Key", "good"}}).body, "mgmt");
}

TEST_F(HttpServerTest, MiddlewareOrderAndCompletion) {
    auto guard = std::make_shared<RejectingGuard>();
    start({}, AccessGuards{guard, guard});
    auto session_ = session();
    auto& s = *session_;
    EXPECT_EQ(call(s, "GET", "/mw", {}, {{"X-Key", "good"}}).status, 200);
    EXPECT_EQ(mwLog->take(7), (std::vector<std::string>{"before1.request", "before2.request", "after.request",
                                                        "handler", "after.complete.200", "before2.complete.200",
                                                        "before1.complete.200"}));
    // Rejected by the guard: AfterAccess and the handler never run; onComplete still does.
    EXPECT_EQ(call(s, "GET", "/mw").status, 401);
    EXPECT_EQ(mwLog->take(5), (std::vector<std::string>{"before1.request", "before2.request", "after.complete.401",
                                                        "before2.complete.401", "before1.complete.401"}));
    // A BeforeAccess middleware stopping the chain.
    Reply r = call(s, "GET", "/mw", {}, {{"X-Stop", "1"}, {"X-Key", "good"}});
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.body, "stopped by before2");
    expectBaselineHeaders(r);
    EXPECT_EQ(mwLog->take(5), (std::vector<std::string>{"before1.request", "before2.request", "after.complete.429",
                                                        "before2.complete.429", "before1.complete.429"}));
}

TEST_F(HttpServerTest, UnroutedMiddlewareSeesOnlyRequestsWithoutARoute) {
    auto guard = std::make_shared<RejectingGuard>();
    start({}, AccessGuards{guard, guard});
    auto session_ = session();
    auto& s = *session_;
    EXPECT_EQ(call(s, "POST", "/nope", "x").status, 404);
    EXPECT_EQ(call(s, "OPTIONS", "/mw").status, 204);
    EXPECT_EQ(call(s, "GET", "/mw", {}, {{"X-Key", "good"}}).status, 200);  // routed: not for it
    EXPECT_EQ(call(s, "GET", "/mw").status, 401);                           // routed, refused: not for it
    EXPECT_EQ(call(s, "PROPFIND", "/nope").status, 404);                    // no sdk::Method for it
    EXPECT_EQ(unroutedLog->take(2), (std::vector<std::string>{"unrouted.POST /nope 404 []", "unrouted.OPTIONS /mw 204 []"}));
}

TEST_F(HttpServerTest, AccessLineMasksSecretsInQuery) {
    start();
    auto session_ = session();
    auto& s = *session_;
    call(s, "GET", "/items/5?key=sk-verysecret&model=x&access_token=abc");
    const auto line = accessLog->waitFor("/items/5");
    EXPECT_EQ(line.first, sdk::LogLevel::Info);
    EXPECT_NE(line.second.find("200 |"), std::string::npos) << line.second;
    EXPECT_NE(line.second.find("|       127.0.0.1 | GET     \"/items/5?key=***&model=x&access_token=***\""),
              std::string::npos)
        << line.second;
    for (const auto& [level, text] : accessLog->lines()) EXPECT_EQ(text.find("verysecret"), std::string::npos);
}

TEST_F(HttpServerTest, SpoofedForwardedForIgnoredFromUntrustedPeer) {
    start();
    auto session_ = session();
    auto& s = *session_;
    EXPECT_EQ(call(s, "GET", "/whoami", {}, {{"X-Forwarded-For", "1.2.3.4"}, {"X-Real-IP", "5.6.7.8"}}).body,
              "127.0.0.1|127.0.0.1");
}

TEST_F(HttpServerTest, ForwardedForHonouredFromTrustedProxy) {
    ServerOptions o;
    o.trustedProxies = {"127.0.0.0/8"};
    start(o);
    auto session_ = session();
    auto& s = *session_;
    EXPECT_EQ(call(s, "GET", "/whoami", {}, {{"X-Forwarded-For", "203.0.113.7, 127.0.0.1"}}).body,
              "203.0.113.7|127.0.0.1");
    EXPECT_EQ(call(s, "GET", "/whoami", {}, {{"X-Real-IP", "2001:db8::5"}}).body, "2001:db8::5|127.0.0.1");
    EXPECT_EQ(call(s, "GET", "/whoami").body, "127.0.0.1|127.0.0.1");
    EXPECT_NE(accessLog->waitFor("203.0.113.7").second, "");
}

TEST_F(HttpServerTest, InvalidTrustedProxyRefused) {
    ServerOptions o;
    o.trustedProxies = {"10.0.0.0/40"};
    EXPECT_THROW(HttpServer(o, router, {}, accessLog, coreLog), std::invalid_argument);
}

TEST_F(HttpServerTest, PortInUseIsReported) {
    start();
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = server->port();
    HttpServer second(o, router, {}, accessLog, coreLog);
    try {
        second.start();
        FAIL() << "second server bound the same port";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cannot listen on 127.0.0.1:" + std::to_string(server->port()) + ": address already in use");
    }
}

TEST_F(HttpServerTest, DualStackDefaultHost) {
    ServerOptions o;
    o.host = "";
    o.port = 0;
    o.maxThreads = 4;
    HttpServer any(o, router, {}, accessLog, coreLog);
    any.start();
    Poco::Net::HTTPClientSession v4("127.0.0.1", any.port());
    Reply r = call(v4, "GET", "/whoami");
    EXPECT_EQ(r.body, "127.0.0.1|127.0.0.1");  // IPv4-mapped peer rendered as IPv4
    try {
        Poco::Net::HTTPClientSession v6("::1", any.port());
        EXPECT_EQ(call(v6, "GET", "/whoami").body, "::1|::1");
    } catch (const Poco::Net::NetException&) {
        // No IPv6 loopback in this environment: the IPv4 check above still holds.
    }
    any.stop(1s);
}

TEST_F(HttpServerTest, BracketedIPv6Host) {
    ServerOptions o;
    o.host = "[::1]";
    o.port = 0;
    o.maxThreads = 4;
    HttpServer v6(o, router, {}, accessLog, coreLog);
    try {
        v6.start();
    } catch (const std::runtime_error& e) {
        GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
    }
    Poco::Net::HTTPClientSession s("::1", v6.port());
    EXPECT_EQ(call(s, "GET", "/whoami").body, "::1|::1");
    v6.stop(1s);
}

TEST_F(HttpServerTest, StopLetsSlowRequestFinish) {
    start();
    auto pending = std::async(std::launch::async, [port = server->port()] {
        Poco::Net::HTTPClientSession s("127.0.0.1", port);
        s.setTimeout(Poco::Timespan(10, 0));
        return call(s, "GET", "/slow");
    });
    const auto deadline = Clock::now() + 5s;
    while (server->inFlight() == 0 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
    ASSERT_EQ(server->inFlight(), 1u);

    // An idle keep-alive connection must not hold up the stop.
    auto idleSession = session();
    auto& idle = *idleSession;
    EXPECT_EQ(call(idle, "GET", "/healthz").status, 200);

    const auto t0 = Clock::now();
    server->stop(5s);
    const auto took = Clock::now() - t0;
    Reply r = pending.get();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "done");
    EXPECT_FALSE(r.keepAlive);  // answered during the stop: Connection: close
    EXPECT_LT(took, 3s);
    EXPECT_EQ(server->inFlight(), 0u);
    EXPECT_EQ(server->openConnections(), 0u);

    // No longer accepting.
    Poco::Net::HTTPClientSession late("127.0.0.1", server->port());
    late.setTimeout(Poco::Timespan(2, 0));
    EXPECT_ANY_THROW(call(late, "GET", "/healthz"));
}

TEST_F(HttpServerTest, StopAbortsWhatOutlivesTheDrain) {
    start();
    auto pending = std::async(std::launch::async, [port = server->port()] {
        Poco::Net::StreamSocket sock(Poco::Net::SocketAddress("127.0.0.1", port));
        sock.setReceiveTimeout(Poco::Timespan(15, 0));
        const std::string req = "GET /endless HTTP/1.1\r\nHost: x\r\n\r\n";
        sock.sendBytes(req.data(), static_cast<int>(req.size()));
        char buf[4096];
        try {
            while (sock.receiveBytes(buf, sizeof buf) > 0) {
            }
        } catch (...) {
        }
        return true;
    });
    const auto deadline = Clock::now() + 5s;
    while (server->inFlight() == 0 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
    ASSERT_EQ(server->inFlight(), 1u);
    const auto t0 = Clock::now();
    server->stop(300ms);
    const auto took = Clock::now() - t0;
    EXPECT_GE(took, 300ms);
    EXPECT_LT(took, 2500ms);
    EXPECT_EQ(pending.wait_for(5s), std::future_status::ready);
    EXPECT_TRUE(endlessEnded.load());
    EXPECT_EQ(server->inFlight(), 0u);
}

TEST_F(HttpServerTest, ManyConcurrentClients) {
    start();
    std::vector<std::future<int>> results;
    for (int c = 0; c < 12; ++c) {
        results.push_back(std::async(std::launch::async, [port = server->port()] {
            Poco::Net::HTTPClientSession s("127.0.0.1", port);
            s.setKeepAlive(true);
            int ok = 0;
            for (int i = 0; i < 50; ++i) ok += call(s, "GET", "/items/" + std::to_string(i)).body == std::to_string(i) + "|-";
            return ok;
        }));
    }
    for (auto& f : results) EXPECT_EQ(f.get(), 50);
}

}  // namespace
}  // namespace cpa::core
