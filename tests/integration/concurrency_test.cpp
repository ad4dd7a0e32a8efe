// Many simultaneous keep-alive connections are all served (architecture §7.6:
// each holds a worker thread, so the pool is sized from config).
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

namespace cpa::test {
namespace {

TEST(Concurrency, ThreeHundredKeepAliveConnectionsAreAllServed) {
    constexpr int kConnections = 300;
    constexpr int kRequestsEach = 4;
    ServerProcess server(testkitServer());

    std::atomic<int> ok{0};
    std::atomic<int> reused{0};
    std::atomic<int> failures{0};
    std::latch allConnected(kConnections);
    std::vector<std::thread> threads;
    threads.reserve(kConnections);
    for (int i = 0; i < kConnections; ++i) {
        threads.emplace_back([&] {
            HttpClientOptions opts;
            opts.timeout = std::chrono::milliseconds(30000);
            HttpClient client("127.0.0.1", server.port(), opts);
            std::uint16_t firstPort = 0;
            bool arrived = false;
            try {
                if (client.get("/healthz").status == 200) ++ok;
                firstPort = client.localPort();
                // Every connection is open at the same time before any goes on.
                allConnected.arrive_and_wait();
                arrived = true;
                for (int r = 1; r < kRequestsEach; ++r) {
                    if (client.get(r % 2 ? "/test/slow?ms=1" : "/healthz").status == 200) ++ok;
                }
                if (client.localPort() == firstPort && firstPort != 0) ++reused;
            } catch (const std::exception&) {
                ++failures;
                if (!arrived) allConnected.count_down();
            }
        });
    }
    for (auto& t : threads) t.join();

    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(ok.load(), kConnections * kRequestsEach);
    EXPECT_EQ(reused.load(), kConnections) << "connections were not kept alive";

    server.sigterm();
    EXPECT_EQ(server.waitExit(std::chrono::seconds(40)), 0) << server.stderrText();
}

}  // namespace
}  // namespace cpa::test
