#include "upstream/connection_pool.hpp"

#include <cerrno>

#include <sys/socket.h>

namespace cpa::proxy::upstream {
namespace {

/// An idle socket that is readable has either been closed by the peer or
/// holds stray bytes: neither can carry a new request.
bool stillUsable(Poco::Net::StreamSocket& s) {
    try {
        // TLS: decrypted bytes may wait inside the TLS layer (no syscall to ask).
        if (s.secure() && s.impl()->available() != 0) return false;
        // One non-blocking peek: EAGAIN means idle and open; 0 is a close, >0 stray bytes.
        char c;
        const ssize_t n = ::recv(s.impl()->sockfd(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    } catch (const Poco::Exception&) {
        return false;
    }
}

void closeQuietly(Poco::Net::StreamSocket& s) {
    try {
        s.close();
    } catch (const Poco::Exception&) {
    }
}

}  // namespace

ConnectionPool::ConnectionPool(std::size_t maxIdlePerKey, std::size_t maxIdleTotal, std::chrono::seconds idleTimeout)
    : maxPerKey_(maxIdlePerKey), maxTotal_(maxIdleTotal), idleTimeout_(idleTimeout) {}

ConnectionPool::~ConnectionPool() {
    for (auto& [key, list] : idle_)
        for (auto& i : list) closeQuietly(i.socket);
}

std::string ConnectionPool::keyFor(const Url& target, const std::optional<Url>& proxy) {
    // A forwarding proxy serves every plain-http target over one connection (Go's key omits the target too).
    std::string key = forwardsToProxy(target, proxy) ? std::string("http-via-proxy")
                                                      : target.scheme + "://" + target.host + ":" + std::to_string(target.port);
    if (proxy) {
        key += "|" + proxy->scheme + "://" + proxy->user + "@" + proxy->host + ":" + std::to_string(proxy->port);
        // Different passwords must not share tunnels.
        key += "#" + std::to_string(std::hash<std::string>{}(proxy->password));
    }
    return key;
}

Connection ConnectionPool::acquire(const Url& target, const std::optional<Url>& proxy, Clock::time_point deadline,
                                   bool allowReuse) {
    const std::string key = keyFor(target, proxy);
    while (allowReuse) {
        Idle candidate;
        {
            std::lock_guard lock(mutex_);
            auto it = idle_.find(key);
            if (it == idle_.end() || it->second.empty()) break;
            candidate = std::move(it->second.back());  // most recent first: least likely to be stale
            it->second.pop_back();
            --total_;
        }
        if (Clock::now() - candidate.since < idleTimeout_ && stillUsable(candidate.socket))
            return Connection{candidate.socket, key, true, candidate.recvTimeoutUs};
        closeQuietly(candidate.socket);
    }
    return Connection{dial(target, proxy, deadline), key, false};
}

void ConnectionPool::release(Connection connection) {
    std::lock_guard lock(mutex_);
    auto& list = idle_[connection.key];
    if (list.size() >= maxPerKey_ || total_ >= maxTotal_) {
        closeQuietly(connection.socket);
        return;
    }
    list.push_back(Idle{connection.socket, Clock::now(), connection.recvTimeoutUs});
    ++total_;
}

std::size_t ConnectionPool::idleCount() const {
    std::lock_guard lock(mutex_);
    return total_;
}

}  // namespace cpa::proxy::upstream
