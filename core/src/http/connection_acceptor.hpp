#pragma once
// Worker threads that accept connections themselves and serve each one on the
// thread that accepted it while its requests come promptly (one that goes
// quiet is parked without a thread: connection_parking.hpp). Replaces Poco's TCPServer, which per connection
// built an epoll set to wait, accepted on one thread and queued the socket to
// another (a futex wake-up and a context switch before the first byte was
// read). Idle workers block in accept(2): the kernel wakes exactly one per
// connection. Connections beyond `maxThreads` busy workers wait in the listen
// backlog. Threads are added while none is idle; one beyond the minimum
// leaves after waiting `idleTimeout` for a connection (see docs/architecture.md §4).
#include <cpa/sdk/module.hpp>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <functional>
#include <memory>

namespace cpa::core {

class ConnectionAcceptor {
public:
    /// `peer`: the client's address as accept(2) reported it.
    using Serve = std::function<void(Poco::Net::StreamSocket& socket, const Poco::Net::SocketAddress& peer)>;

    /// `listenFd`: a listening socket; the acceptor works on its own
    /// duplicate, closed once the last worker has left accept(2).
    ConnectionAcceptor(int listenFd, int minThreads, int maxThreads, Serve serve, std::shared_ptr<sdk::Logger> log,
                       std::chrono::milliseconds idleTimeout = std::chrono::seconds(30));
    ~ConnectionAcceptor();
    ConnectionAcceptor(const ConnectionAcceptor&) = delete;
    ConnectionAcceptor& operator=(const ConnectionAcceptor&) = delete;

    void start();
    /// No new connections (the socket stops listening); idle workers leave,
    /// busy ones leave when their connection ends.
    void stop() noexcept;
    /// Waits up to `timeout` for every worker to leave; false if some remain.
    bool join(std::chrono::milliseconds timeout) noexcept;
    int threads() const;

private:
    struct State;
    std::shared_ptr<State> state_;  // shared with the workers: a worker stuck in a handler outlives us safely
};

}  // namespace cpa::core
