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

// The connection the current worker is serving (set by add() or
// bindToThread(), cleared before the connection is parked or removed), so
// marking it busy twice per request needs neither the registry's lock nor a
// lookup. Map nodes are stable until remove().
struct CurrentConnection {
    const void* registry = nullptr;
    const Poco::Net::SocketImpl* impl = nullptr;
    std::atomic<bool>* busy = nullptr;
};
thread_local CurrentConnection tCurrent;

}  // namespace

void ConnectionRegistry::add(const Poco::Net::StreamSocket& socket) {
    std::lock_guard lock(mutex_);
    entries_.erase(socket.impl());
    const auto it = entries_.try_emplace(socket.impl(), socket).first;
    tCurrent = CurrentConnection{this, socket.impl(), &it->second.busy};
}

void ConnectionRegistry::remove(const Poco::Net::StreamSocket& socket) noexcept {
    if (tCurrent.registry == this && tCurrent.impl == socket.impl()) tCurrent = {};
    std::lock_guard lock(mutex_);
    entries_.erase(socket.impl());
}

void ConnectionRegistry::bindToThread(const Poco::Net::StreamSocket& socket) noexcept {
    if (tCurrent.registry == this && tCurrent.impl == socket.impl()) return;
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(socket.impl()); it != entries_.end())
        tCurrent = CurrentConnection{this, socket.impl(), &it->second.busy};
}

void ConnectionRegistry::unbindFromThread(const Poco::Net::StreamSocket& socket) noexcept {
    if (tCurrent.registry == this && tCurrent.impl == socket.impl()) tCurrent = {};
}

void ConnectionRegistry::setBusy(const Poco::Net::Socket& socket, bool busy) noexcept {
    if (tCurrent.registry == this && tCurrent.impl == socket.impl()) {
        tCurrent.busy->store(busy, std::memory_order_release);
        return;
    }
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(socket.impl()); it != entries_.end()) it->second.busy.store(busy);
}

void ConnectionRegistry::closeIdle() noexcept {
    std::lock_guard lock(mutex_);
    for (auto& [impl, entry] : entries_)
        if (!entry.busy.load(std::memory_order_acquire)) shutdownQuietly(entry.socket);
}

void ConnectionRegistry::closeAll() noexcept {
    std::lock_guard lock(mutex_);
    for (auto& [impl, entry] : entries_) shutdownQuietly(entry.socket);
}

std::size_t ConnectionRegistry::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace cpa::core
