#pragma once
// Open HTTP connections, so a graceful stop can close idle keep-alive
// connections at once and abort busy ones when the drain time is up.
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>

namespace cpa::core {

class ConnectionRegistry {
public:
    void add(const Poco::Net::StreamSocket& socket);
    void remove(const Poco::Net::StreamSocket& socket) noexcept;
    /// Marks the connection of `socket` as serving a request (or not). On the
    /// thread that registered the connection (the one serving its requests)
    /// this is one atomic store, without the lock.
    void setBusy(const Poco::Net::Socket& socket, bool busy) noexcept;
    /// Shuts down every connection that is not serving a request.
    void closeIdle() noexcept;
    /// Shuts down every connection (in-flight requests see their socket fail).
    void closeAll() noexcept;
    std::size_t size() const;

private:
    struct Entry {
        explicit Entry(const Poco::Net::StreamSocket& s) : socket(s) {}
        Poco::Net::StreamSocket socket;
        std::atomic<bool> busy{false};
    };
    mutable std::mutex mutex_;
    std::map<const Poco::Net::SocketImpl*, Entry> entries_;
};

}  // namespace cpa::core
