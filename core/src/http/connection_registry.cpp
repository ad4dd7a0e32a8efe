#include "http/connection_registry.hpp"

namespace cpa::core {

namespace {

void shutdownQuietly(Poco::Net::StreamSocket& s) noexcept {
    try {
        s.shutdown();
    } catch (...) {
        // Already closed or reset by the peer: nothing left to stop.
    }
}

}  // namespace

void ConnectionRegistry::add(const Poco::Net::StreamSocket& socket) {
    std::lock_guard lock(mutex_);
    entries_[socket.impl()] = Entry{socket, false};
}

void ConnectionRegistry::remove(const Poco::Net::StreamSocket& socket) noexcept {
    std::lock_guard lock(mutex_);
    entries_.erase(socket.impl());
}

void ConnectionRegistry::setBusy(const Poco::Net::Socket& socket, bool busy) noexcept {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(socket.impl()); it != entries_.end()) it->second.busy = busy;
}

void ConnectionRegistry::closeIdle() noexcept {
    std::lock_guard lock(mutex_);
    for (auto& [impl, entry] : entries_)
        if (!entry.busy) shutdownQuietly(entry.socket);
}

void ConnectionRegistry::closeAll() noexcept {
    std::lock_guard lock(mutex_);
    for (auto& [impl, entry] : entries_) shutdownQuietly(entry.socket);
}

std::size_t ConnectionRegistry::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

TrackedConnection::TrackedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                                     Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                                     std::shared_ptr<ConnectionRegistry> registry)
    : HTTPServerConnection(socket, std::move(params), std::move(factory)), registry_(std::move(registry)) {}

void TrackedConnection::run() {
    try {
        socket().setNoDelay(true);
    } catch (...) {
        // Not fatal: only latency suffers.
    }
    registry_->add(socket());
    try {
        HTTPServerConnection::run();
    } catch (...) {
        registry_->remove(socket());
        throw;
    }
    registry_->remove(socket());
}

TrackedConnectionFactory::TrackedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                                                   Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                                                   std::shared_ptr<ConnectionRegistry> registry)
    : params_(std::move(params)), factory_(std::move(factory)), registry_(std::move(registry)) {}

Poco::Net::TCPServerConnection* TrackedConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
    return new TrackedConnection(socket, params_, factory_, registry_);
}

}  // namespace cpa::core
