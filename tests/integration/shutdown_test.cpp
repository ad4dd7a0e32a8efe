// SIGTERM/SIGINT: in-flight requests finish, then a clean exit 0.
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

namespace cpa::test {
namespace {

using namespace std::chrono_literals;

TEST(Shutdown, SigtermDrainsSixtyFourSlowRequestsThenExitsZero) {
    constexpr int kRequests = 64;
    ServerProcess server(testkitServer("http-server:\n  shutdown-drain-seconds: 20\n"));

    std::atomic<int> ok{0};
    std::atomic<int> sent{0};
    std::vector<std::string> errors(kRequests);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRequests; ++i) {
        threads.emplace_back([&, i] {
            try {
                HttpClientOptions opts;
                opts.timeout = 30s;
                HttpClient client("127.0.0.1", server.port(), opts);
                ++sent;
                const HttpResponse r = client.get("/test/slow?ms=1500");
                if (r.status == 200 && jsonObject(r.body)->getValue<int>("slept") == 1500) {
                    ++ok;
                } else {
                    errors[i] = std::to_string(r.status) + " " + r.body;
                }
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    }
    // Let every request reach its handler (1.5 s each), then ask to stop.
    while (sent.load() < kRequests) std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(500ms);
    const auto signalled = std::chrono::steady_clock::now();
    server.sigterm();

    for (auto& t : threads) t.join();
    const auto code = server.waitExit(30s);
    EXPECT_EQ(code, 0) << server.stderrText();
    EXPECT_EQ(ok.load(), kRequests);
    for (int i = 0; i < kRequests; ++i) EXPECT_EQ(errors[i], "") << "request " << i;
    // The process waited for the handlers rather than cutting them off.
    EXPECT_GE(std::chrono::steady_clock::now() - signalled, 500ms);

    const std::string log = server.stdoutText();  // the application log
    for (const char* step : {"stopping HTTP server", "clearing routes", "stopping modules", "clearing services",
                             "destroying modules", "unloading modules", "shutdown complete"}) {
        EXPECT_NE(log.find(step), std::string::npos) << step << "\n" << log;
    }
    // Logged in the order of architecture §4.
    EXPECT_LT(log.find("stopping HTTP server"), log.find("stopping modules"));
    EXPECT_LT(log.find("stopping modules"), log.find("unloading modules"));
}

TEST(Shutdown, SigintExitsZero) {
    ServerProcess server(testkitServer());
    ASSERT_EQ(httpRequest(server.port(), "GET", "/healthz").status, 200);
    server.signal(SIGINT);
    EXPECT_EQ(server.waitExit(15s), 0) << server.stderrText();
}

TEST(Shutdown, IdleKeepAliveConnectionDoesNotHoldUpShutdown) {
    ServerProcess server(testkitServer("http-server:\n  shutdown-drain-seconds: 20\n"));
    HttpClient idle("127.0.0.1", server.port());
    ASSERT_EQ(idle.get("/healthz").status, 200);  // connection stays open, idle
    const auto start = std::chrono::steady_clock::now();
    server.sigterm();
    EXPECT_EQ(server.waitExit(15s), 0) << server.stderrText();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s) << "an idle connection blocked the drain";
}

}  // namespace
}  // namespace cpa::test
