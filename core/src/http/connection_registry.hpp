#pragma once
// Open HTTP connections, so a graceful stop can close idle keep-alive
// connections at once and abort busy ones when the drain time is up.
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
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

/// Poco's HTTP connection, registered for its lifetime; TCP_NODELAY on.
class TrackedConnection final : public Poco::Net::HTTPServerConnection {
public:
    TrackedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory, std::shared_ptr<ConnectionRegistry> registry);
    void run() override;

private:
    std::shared_ptr<ConnectionRegistry> registry_;
};

class TrackedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    TrackedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                             std::shared_ptr<ConnectionRegistry> registry);
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    std::shared_ptr<ConnectionRegistry> registry_;
};

}  // namespace cpa::core
