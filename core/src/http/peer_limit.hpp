#pragma once
// Open connections per client IP (http-server.max-connections-per-ip), so one
// peer cannot take every descriptor and parking slot. Counted per connection,
// not per request: one short lock at accept and at close.
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cpa::core {

class PeerLimit {
public:
    /// A connection's place in the count; released when destroyed.
    class Slot {
    public:
        Slot() = default;
        Slot(Slot&& o) noexcept : limit_(o.limit_), peer_(std::move(o.peer_)) { o.limit_ = nullptr; }
        Slot& operator=(Slot&& o) noexcept;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot() { release(); }

    private:
        friend class PeerLimit;
        Slot(PeerLimit* limit, std::string peer) : limit_(limit), peer_(std::move(peer)) {}
        void release() noexcept;
        PeerLimit* limit_ = nullptr;  // null: not counted (exempt or moved from)
        std::string peer_;
    };

    /// `max` ≤ 0: no cap.
    explicit PeerLimit(int max) : max_(max) {}

    /// Counts a connection from `peer`; false when `peer` already has `max`
    /// open. An exempt peer is admitted without being counted.
    bool admit(const std::string& peer, bool exempt, Slot& slot);
    std::size_t count(const std::string& peer) const;

private:
    void release(const std::string& peer) noexcept;

    const int max_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, int> open_;
};

/// 127.0.0.0/8 or ::1, as normalizePeerAddress() renders them.
bool isLoopbackPeer(const std::string& peer) noexcept;

}  // namespace cpa::core
