#pragma once
// Connections that wait without a thread: idle keep-alive connections,
// silent new ones and heads still arriving. One reactor thread keeps them in
// an epoll set with their deadlines; when one becomes readable it goes to a
// resume worker, which serves it (HttpConnection::serve) and parks it again
// if it goes quiet. A deadline that passes closes the connection unanswered.
// Why: a worker blocked on a silent socket was a thread per connection, so
// max-threads silent connections stopped the server (docs/architecture.md §4).
#include <cpa/sdk/module.hpp>

#include <chrono>
#include <cstddef>
#include <memory>

namespace cpa::core {

class HttpConnection;

class ConnectionParking {
public:
    /// `maxThreads`: resume workers at most; a spare one leaves after `idleTimeout`.
    ConnectionParking(int maxThreads, std::shared_ptr<sdk::Logger> log,
                      std::chrono::milliseconds idleTimeout = std::chrono::seconds(30));
    ~ConnectionParking();
    ConnectionParking(const ConnectionParking&) = delete;
    ConnectionParking& operator=(const ConnectionParking&) = delete;

    /// Starts the reactor thread. Throws std::runtime_error if it cannot.
    void start();
    /// Takes `connection` until it is readable or its deadline() passes.
    /// After stop() (or on failure) the connection is closed at once.
    void park(std::unique_ptr<HttpConnection> connection) noexcept;
    /// Closes every parked connection and ends the reactor; resume workers
    /// leave once the connections they serve end. Idempotent.
    void stop() noexcept;
    /// Waits up to `timeout` for the reactor and every resume worker to leave.
    bool join(std::chrono::milliseconds timeout) noexcept;
    std::size_t parked() const;
    int threads() const;

private:
    struct State;
    std::shared_ptr<State> state_;  // shared with the threads, which may outlive us (see ConnectionAcceptor)
};

}  // namespace cpa::core
