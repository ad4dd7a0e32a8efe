// ConnectionAcceptor (core/src/http/connection_acceptor.*) on a real loopback
// listening socket: workers are added while none is idle, never more than the
// maximum, spare ones leave, stop wakes every idle worker at once.
#include "capture_logger.hpp"
#include "http/connection_acceptor.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace cpa::core::test {
namespace {

using namespace std::chrono_literals;

/// A serve function that holds every connection until released and counts
/// how many it holds at once.
struct Gate {
    std::mutex mutex;
    std::condition_variable changed;
    int inside = 0;
    int served = 0;
    bool open = false;

    ConnectionAcceptor::Serve serve() {
        return [this](Poco::Net::StreamSocket& socket, const Poco::Net::SocketAddress&) {
            std::unique_lock lock(mutex);
            ++inside;
            ++served;
            changed.notify_all();
            changed.wait(lock, [this] { return open; });
            --inside;
            changed.notify_all();
            lock.unlock();
            socket.sendBytes("x", 1);  // the client sees its connection was served
        };
    }
    bool waitInside(int n, std::chrono::milliseconds timeout = 5s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return inside == n; });
    }
    void release() {
        std::lock_guard lock(mutex);
        open = true;
        changed.notify_all();
    }
};

class AcceptorTest : public ::testing::Test {
protected:
    Poco::Net::ServerSocket listener{Poco::Net::SocketAddress("127.0.0.1", 0), 64};
    std::shared_ptr<CaptureLogger> log = std::make_shared<CaptureLogger>();

    std::vector<Poco::Net::StreamSocket> connect(int n) {
        std::vector<Poco::Net::StreamSocket> out;
        for (int i = 0; i < n; ++i) out.emplace_back(listener.address());
        return out;
    }
    static bool readsServed(Poco::Net::StreamSocket& s) {
        s.setReceiveTimeout(Poco::Timespan(5, 0));
        char c = 0;
        return s.receiveBytes(&c, 1) == 1 && c == 'x';
    }
    static bool waitThreads(const ConnectionAcceptor& a, const std::function<bool(int)>& ok) {
        for (int i = 0; i < 500; ++i) {
            if (ok(a.threads())) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }
};

TEST_F(AcceptorTest, AddsWorkersWhileNoneIsIdle) {
    Gate gate;
    ConnectionAcceptor acceptor(listener.impl()->sockfd(), 2, 64, gate.serve(), log);
    acceptor.start();
    EXPECT_EQ(acceptor.threads(), 2);
    auto clients = connect(12);
    ASSERT_TRUE(gate.waitInside(12)) << "all twelve connections are served at once";
    EXPECT_GE(acceptor.threads(), 13);  // twelve busy and one more waiting in accept
    gate.release();
    for (auto& c : clients) EXPECT_TRUE(readsServed(c));
    acceptor.stop();
    EXPECT_TRUE(acceptor.join(5s));
}

TEST_F(AcceptorTest, NeverMoreWorkersThanTheMaximum) {
    Gate gate;
    ConnectionAcceptor acceptor(listener.impl()->sockfd(), 1, 2, gate.serve(), log);
    acceptor.start();
    auto clients = connect(3);
    ASSERT_TRUE(gate.waitInside(2));
    std::this_thread::sleep_for(100ms);
    {
        std::lock_guard lock(gate.mutex);
        EXPECT_EQ(gate.inside, 2) << "the third connection waits for a worker";
        EXPECT_EQ(gate.served, 2);
    }
    EXPECT_EQ(acceptor.threads(), 2);
    gate.release();
    for (auto& c : clients) EXPECT_TRUE(readsServed(c)) << "served once a worker is free";
    std::lock_guard lock(gate.mutex);
    EXPECT_EQ(gate.served, 3);
}

TEST_F(AcceptorTest, SpareWorkersLeaveAfterTheIdleTimeout) {
    Gate gate;
    ConnectionAcceptor acceptor(listener.impl()->sockfd(), 2, 64, gate.serve(), log, 300ms);
    acceptor.start();
    auto clients = connect(30);
    ASSERT_TRUE(gate.waitInside(30));
    gate.release();
    for (auto& c : clients) EXPECT_TRUE(readsServed(c));
    EXPECT_GE(acceptor.threads(), 30) << "kept while they may be needed again";
    EXPECT_TRUE(waitThreads(acceptor, [](int n) { return n == 2; })) << acceptor.threads() << " workers left";
    // And it still serves.
    auto more = connect(1);
    EXPECT_TRUE(readsServed(more[0]));
}

TEST_F(AcceptorTest, StopWakesIdleWorkersAndStopsListening) {
    Gate gate;
    gate.release();
    ConnectionAcceptor acceptor(listener.impl()->sockfd(), 4, 8, gate.serve(), log);
    acceptor.start();
    auto first = connect(1);
    EXPECT_TRUE(readsServed(first[0]));
    const auto t0 = std::chrono::steady_clock::now();
    acceptor.stop();
    EXPECT_TRUE(acceptor.join(2s));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s) << "idle workers leave accept(2) at once";
    EXPECT_EQ(acceptor.threads(), 0);
    listener.close();  // the server closes its descriptor as well
    EXPECT_THROW(Poco::Net::StreamSocket(first[0].peerAddress()), Poco::Exception) << "nothing listens any more";
}

TEST_F(AcceptorTest, AFailingConnectionDoesNotCostAWorker) {
    std::atomic<int> calls{0};
    ConnectionAcceptor acceptor(
        listener.impl()->sockfd(), 1, 1,
        [&calls](Poco::Net::StreamSocket& s, const Poco::Net::SocketAddress&) {
            if (calls.fetch_add(1) == 0) throw std::runtime_error("handler bug");
            s.sendBytes("x", 1);
        },
        log);
    acceptor.start();
    auto bad = connect(1);
    auto good = connect(1);
    EXPECT_TRUE(readsServed(good[0])) << "the single worker survived the exception";
    EXPECT_FALSE(log->waitFor("connection failed: handler bug").second.empty());
}

TEST_F(AcceptorTest, HandsOverThePeerAddressFromAccept) {
    std::mutex mutex;
    std::string seen;
    ConnectionAcceptor acceptor(
        listener.impl()->sockfd(), 1, 2,
        [&](Poco::Net::StreamSocket& s, const Poco::Net::SocketAddress& peer) {
            {
                std::lock_guard lock(mutex);
                seen = peer.toString();
            }
            s.sendBytes("x", 1);
        },
        log);
    acceptor.start();
    auto client = connect(1);
    ASSERT_TRUE(readsServed(client[0]));
    std::lock_guard lock(mutex);
    EXPECT_EQ(seen, client[0].address().toString());
}

}  // namespace
}  // namespace cpa::core::test
