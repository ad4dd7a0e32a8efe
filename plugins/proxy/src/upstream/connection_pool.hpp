#pragma once
// Idle keep-alive connections per upstream (scheme + host + port + proxy),
// bounded and thread-safe. A connection is either checked out (owned by one
// call) or idle in the pool.
#include "upstream/dial.hpp"

#include <Poco/Net/StreamSocket.h>

#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace cpa::proxy::upstream {

struct Connection {
    Poco::Net::StreamSocket socket;
    std::string key;
    bool reused{};  ///< came from the pool (may have been closed by the peer meanwhile)
    long long recvTimeoutUs{-1};  ///< SO_RCVTIMEO as last set by a ResponseReader (-1 = unknown)
};

class ConnectionPool {
public:
    explicit ConnectionPool(std::size_t maxIdlePerKey = 64, std::size_t maxIdleTotal = 512,
                            std::chrono::seconds idleTimeout = std::chrono::seconds(90));
    ~ConnectionPool();

    static std::string keyFor(const Url& target, const std::optional<Url>& proxy);
    /// An idle connection for `key` if one is alive, else a new one (may throw DialError).
    Connection acquire(const Url& target, const std::optional<Url>& proxy, Clock::time_point deadline,
                       bool allowReuse = true);
    /// Returns a connection whose last response was read completely.
    void release(Connection connection);
    std::size_t idleCount() const;

private:
    struct Idle {
        Poco::Net::StreamSocket socket;
        Clock::time_point since;
        long long recvTimeoutUs{-1};
    };
    const std::size_t maxPerKey_, maxTotal_;
    const std::chrono::seconds idleTimeout_;
    mutable std::mutex mutex_;
    std::map<std::string, std::deque<Idle>> idle_;
    std::size_t total_{};
};

}  // namespace cpa::proxy::upstream
