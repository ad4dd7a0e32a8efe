#pragma once
// A real HttpServer on 127.0.0.1:0 with the routes the wire tests need
// (direct_send_test.cpp, stream_wire_test.cpp, request_wire_test.cpp).
#include "capture_logger.hpp"
#include "http/http_server.hpp"
#include "raw_http.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace cpa::core::test {

/// Deterministic body bytes (so a reordered or dropped slice shows up).
inline std::string pattern(std::size_t size, char salt = 0) {
    std::string s(size, '\0');
    for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + (i * 7 + static_cast<std::size_t>(salt)) % 26);
    return s;
}

class WireTest : public ::testing::Test {
protected:
    void SetUp() override {
        router = std::make_shared<Router>();
        registerBuiltinRoutes(*router);
        // GET and HEAD alike (the router maps HEAD only where it is registered).
        auto getAndHead = [this](const std::string& path, const sdk::Handler& handler) {
            router->route(sdk::Method::Get, path, sdk::Access::Public, handler);
            router->route(sdk::Method::Head, path, sdk::Access::Public, handler);
        };
        getAndHead("/fixed", [](sdk::Request&, sdk::Response& res) {
            res.setHeader("X-One", "1");
            res.addHeader("X-Multi", "a");
            res.addHeader("X-Multi", "b");
            res.setHeader("Content-Length", "999");  // framing is the server's, never the handler's
            res.setHeader("Transfer-Encoding", "chunked");
            res.text(201, "hello wire");
        });
        getAndHead("/big", [](sdk::Request&, sdk::Response& res) {
            res.text(200, pattern(100 * 1024), "application/octet-stream");  // beyond the one-send copy limit
        });
        // The body as received, behind its length ("5:hello").
        router->route(sdk::Method::Post, "/echo", sdk::Access::Public, [](sdk::Request& req, sdk::Response& res) {
            res.text(200, std::to_string(req.body().size()) + ":" + req.body());
        });
        // Reads the body as the management handlers do: any failure is the handler's own 400.
        router->route(sdk::Method::Post, "/catch-body", sdk::Access::Public, [](sdk::Request& req, sdk::Response& res) {
            try {
                res.text(200, std::to_string(req.body().size()));
            } catch (const std::exception&) {
                res.text(400, "invalid body");
            }
        });
        // Answers without reading the body.
        router->route(sdk::Method::Post, "/ignore", sdk::Access::Public,
                      [](sdk::Request&, sdk::Response& res) { res.text(200, "ignored"); });
        // Waits (up to 10 s) for the client to go away without writing a byte.
        router->route(sdk::Method::Get, "/wait-for-hangup", sdk::Access::Public,
                      [this](sdk::Request&, sdk::Response& res) {
                          const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                          while (!res.clientGone() && std::chrono::steady_clock::now() < until)
                              std::this_thread::sleep_for(std::chrono::milliseconds(5));
                          hangupSeen = res.clientGone();
                          hangupChecked = true;
                          res.text(200, "late");
                      });
        // Starts a stream, then writes one flushed chunk once the test says so.
        router->route(sdk::Method::Get, "/stream-later", sdk::Access::Public,
                      [this](sdk::Request&, sdk::Response& res) {
                          sdk::StreamWriter& w = res.stream();
                          const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
                          while (!releaseStream && std::chrono::steady_clock::now() < until)
                              std::this_thread::sleep_for(std::chrono::milliseconds(5));
                          w.write("first");
                          w.flush();
                      });
        router->route(sdk::Method::Get, "/nothing", sdk::Access::Public,
                      [](sdk::Request&, sdk::Response& res) { res.setStatus(204); });
        router->route(sdk::Method::Get, "/n/:i", sdk::Access::Public, [](sdk::Request& req, sdk::Response& res) {
            res.text(200, "reply " + req.param("i"));
        });
        // Streams: ?sizes=a,b,c writes chunks of those sizes (pattern bytes,
        // salted by their index), each followed by a flush unless ?flush=0.
        getAndHead("/stream", [](sdk::Request& req, sdk::Response& res) {
            res.setHeader("Content-Type", "application/x-test-stream");
            sdk::StreamWriter& w = res.stream();
            std::string sizes = req.query("sizes").value_or("");
            const bool flush = req.query("flush").value_or("1") != "0";
            char salt = 0;
            while (!sizes.empty()) {
                const std::size_t comma = sizes.find(',');
                const std::size_t n = std::stoul(sizes.substr(0, comma));
                sizes = comma == std::string::npos ? "" : sizes.substr(comma + 1);
                w.write(pattern(n, salt++));
                if (flush) w.flush();
            }
        });
        // Large writes until the client is gone (or 10 s): records what write() said.
        router->route(sdk::Method::Get, "/firehose", sdk::Access::Public, [this](sdk::Request&, sdk::Response& res) {
            sdk::StreamWriter& w = res.stream();
            const std::string block = pattern(256 * 1024);
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            bool ok = true;
            while (ok && std::chrono::steady_clock::now() < until) ok = w.write(block);
            firehoseWriteFailed = !ok;
            firehoseEnded = true;
        });
        router->freeze();
    }

    void TearDown() override {
        if (server) server->stop(std::chrono::seconds(2));
    }

    /// Eight workers: a test that needs more connections served than that
    /// shows connections waiting without a thread.
    static ServerOptions smallServer() {
        ServerOptions opts;
        opts.host = "127.0.0.1";
        opts.port = 0;
        opts.maxThreads = 8;
        opts.maxQueued = 32;
        return opts;
    }

    void start(ServerOptions opts = smallServer()) {
        server = std::make_unique<HttpServer>(opts, router, AccessGuards{}, accessLog, coreLog);
        server->start();
        ASSERT_NE(server->port(), 0);
    }

    RawConnection connect() { return RawConnection(server->port()); }

    std::shared_ptr<Router> router;
    std::shared_ptr<CaptureLogger> accessLog = std::make_shared<CaptureLogger>();
    std::shared_ptr<CaptureLogger> coreLog = std::make_shared<CaptureLogger>();
    std::unique_ptr<HttpServer> server;
    std::atomic<bool> firehoseEnded{false};
    std::atomic<bool> firehoseWriteFailed{false};
    std::atomic<bool> hangupSeen{false};
    std::atomic<bool> releaseStream{false};
    std::atomic<bool> hangupChecked{false};
};

}  // namespace cpa::core::test
