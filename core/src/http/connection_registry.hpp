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
    /// Makes the calling thread the one serving `socket` (setBusy without the
    /// lock): a parked connection resumes on whichever worker is free.
    void bindToThread(const Poco::Net::StreamSocket& socket) noexcept;
    /// Undoes bindToThread before the connection is parked (another thread
    /// may then resume or close it).
    void unbindFromThread(const Poco::Net::StreamSocket& socket) noexcept;
    /// Marks the connection of `socket` as serving a request (or not). On the
    /// thread serving it (the one that registered or bound it) this is one
    /// atomic store, without the lock.
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
