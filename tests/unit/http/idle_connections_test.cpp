// Connections that wait without a thread: silent and idle keep-alive
// connections do not keep others from being served, the header timeout closes
// a silent one, the per-IP cap refuses the next connection, and a parked
// connection resumes with what it had read. The server has eight workers
// (WireTest), so a thread per waiting connection would fail every test here.
#include "wire_fixture.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cpa::core::test {
namespace {

// Each connection costs a descriptor on both ends, both in this process.
void raiseFdLimit(rlim_t wanted) {
    rlimit l{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &l), 0);
    if (l.rlim_cur >= wanted) return;
    l.rlim_cur = std::min(wanted, l.rlim_max);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &l), 0);
    ASSERT_GE(l.rlim_cur, wanted) << "hard open-file limit too low for this test";
}

// Connected sockets that never send a byte; closed when destroyed.
struct SilentClients {
    std::vector<int> fds;
    SilentClients() = default;
    ~SilentClients() {
        for (const int fd : fds) ::close(fd);
    }
    SilentClients(const SilentClients&) = delete;
    SilentClients& operator=(const SilentClients&) = delete;
    /// False when a socket cannot be opened or connected.
    bool open(std::uint16_t port, int n) {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        for (int i = 0; i < n; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) return false;
            fds.push_back(fd);
            if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) return false;
        }
        return true;
    }
};

// Polls `done` for up to `limit`: a condition that never holds fails the test
// there, not a timing.
bool eventually(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

std::string get(const std::string& path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"; }

void expectReply(RawConnection& c, int i) {
    const std::string body = "reply " + std::to_string(i);
    EXPECT_EQ(c.readHead().statusLine, "HTTP/1.1 200 OK");
    EXPECT_EQ(c.readExactly(body.size()), body);
}

TEST_F(WireTest, SilentAndIdleConnectionsDoNotKeepOthersWaiting) {
    constexpr int kSilent = 1000;
    constexpr int kIdle = 20;
    raiseFdLimit(2 * (kSilent + kIdle) + 256);
    start();  // eight workers
    // In batches the server takes as they come: connections overflowing the
    // listen backlog would wait for SYN-ACK retransmits (seconds) instead.
    SilentClients silent;
    for (int batch = 0; batch < kSilent / 50; ++batch) {
        ASSERT_TRUE(silent.open(server->port(), 50));
        ASSERT_TRUE(eventually([&] { return server->openConnections() >= silent.fds.size(); }));
    }
    std::vector<RawConnection> idle;
    for (int i = 0; i < kIdle; ++i) {
        idle.push_back(connect());
        idle.back().send(get("/n/" + std::to_string(i)));
        expectReply(idle.back(), i);
    }
    // Every one is open on the server and waits there without a thread.
    ASSERT_TRUE(eventually([&] { return server->parkedConnections() >= kSilent + kIdle; }))
        << server->parkedConnections() << " parked of " << server->openConnections() << " open";
    // Fresh clients are answered meanwhile (each reply well before the 10 s
    // header timeout could have freed a worker; the client gives up after 5 s).
    for (int i = 0; i < 3; ++i) {
        auto c = connect();
        c.send(get("/n/" + std::to_string(100 + i)));
        expectReply(c, 100 + i);
    }
    // And the idle keep-alive connections are served again, on the same connection.
    for (int i = 0; i < kIdle; ++i) {
        idle[static_cast<std::size_t>(i)].send(get("/n/" + std::to_string(i)));
        expectReply(idle[static_cast<std::size_t>(i)], i);
    }
    EXPECT_GE(server->openConnections(), static_cast<std::size_t>(kSilent + kIdle));
}

TEST_F(WireTest, TheHeaderTimeoutClosesSilentAndHalfSentHeadsButNotIdleKeepAlive) {
    ServerOptions opts = smallServer();
    opts.headerTimeoutSeconds = 1;
    start(opts);
    auto silent = connect();  // gives up after 5 s: the server must close first
    auto partial = connect();
    partial.send("GET /n/1 HTTP/1.1\r\nHo");
    auto keepAlive = connect();
    keepAlive.send(get("/n/1"));
    expectReply(keepAlive, 1);
    EXPECT_TRUE(silent.peerClosed());
    EXPECT_EQ(partial.readToClose(), "");  // closed without an answer
    // Idle between requests, the keep-alive timeout (60 s) applies instead.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    keepAlive.send(get("/n/2"));
    expectReply(keepAlive, 2);
}

TEST_F(WireTest, TheKeepAliveTimeoutClosesAParkedIdleConnection) {
    ServerOptions opts = smallServer();
    opts.keepAliveTimeoutSeconds = 1;
    start(opts);
    auto c = connect();  // gives up after 5 s: the server must close first
    c.send(get("/n/1"));
    expectReply(c, 1);
    ASSERT_TRUE(eventually([&] { return server->parkedConnections() == 1; }));
    EXPECT_TRUE(c.peerClosed());
    EXPECT_TRUE(eventually([&] { return server->openConnections() == 0; }));
}

TEST_F(WireTest, AKeepAliveConnectionIsReusedAfterEachPark) {
    start();
    auto c = connect();
    for (int i = 0; i < 4; ++i) {
        c.send(get("/n/" + std::to_string(i)));
        expectReply(c, i);
        ASSERT_TRUE(eventually([&] { return server->parkedConnections() == 1; }));
    }
    EXPECT_EQ(server->openConnections(), 1u);
}

TEST_F(WireTest, AParkedConnectionResumesWithThePartOfTheHeadItHadRead) {
    start();
    auto c = connect();
    c.send("GET /n/1 HTTP/1.1\r\nHo");
    ASSERT_TRUE(eventually([&] { return server->parkedConnections() == 1; }));
    c.send("st: x\r\n\r\n");
    expectReply(c, 1);
    // A pipelined request whose head is cut by a pause.
    c.send("GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\nGET /n/3 HT");
    expectReply(c, 2);
    ASSERT_TRUE(eventually([&] { return server->parkedConnections() == 1; }));
    c.send("TP/1.1\r\nHost: x\r\n\r\n");
    expectReply(c, 3);
}

TEST_F(WireTest, ThePerIpCapRefusesTheNextConnection) {
    ServerOptions opts = smallServer();
    opts.maxConnectionsPerIp = 3;
    opts.capLoopbackPeers = true;  // the test's peer is 127.0.0.1, exempt by default
    start(opts);
    std::vector<RawConnection> held;
    for (int i = 0; i < 3; ++i) held.push_back(connect());
    ASSERT_TRUE(eventually([&] { return server->openConnections() == 3; }));
    auto refused = connect();
    EXPECT_EQ(refused.readHead().statusLine, "HTTP/1.1 503 Service Unavailable");
    EXPECT_EQ(refused.readToClose(), "503 Service Unavailable");
    // A closed connection frees its place.
    held.pop_back();
    ASSERT_TRUE(eventually([&] { return server->openConnections() == 2; }));
    auto next = connect();
    next.send(get("/n/4"));
    expectReply(next, 4);
}

TEST_F(WireTest, LoopbackPeersAreNotCapped) {
    ServerOptions opts = smallServer();
    opts.maxConnectionsPerIp = 2;
    start(opts);
    std::vector<RawConnection> clients;
    for (int i = 0; i < 5; ++i) clients.push_back(connect());
    for (int i = 0; i < 5; ++i) {
        clients[static_cast<std::size_t>(i)].send(get("/n/" + std::to_string(i)));
        expectReply(clients[static_cast<std::size_t>(i)], i);
    }
}

TEST_F(WireTest, StopClosesParkedConnectionsAtOnce) {
    start();
    std::vector<RawConnection> idle;
    for (int i = 0; i < 20; ++i) idle.push_back(connect());
    ASSERT_TRUE(eventually([&] { return server->parkedConnections() == 20; }));
    server->stop(std::chrono::seconds(30));  // nothing is in flight: no drain wait
    EXPECT_EQ(server->openConnections(), 0u);
    for (RawConnection& c : idle) EXPECT_TRUE(c.peerClosed());
}

}  // namespace
}  // namespace cpa::core::test
