#include "http/peer_limit.hpp"

namespace cpa::core {

PeerLimit::Slot& PeerLimit::Slot::operator=(Slot&& o) noexcept {
    if (this != &o) {
        release();
        limit_ = o.limit_;
        peer_ = std::move(o.peer_);
        o.limit_ = nullptr;
    }
    return *this;
}

void PeerLimit::Slot::release() noexcept {
    if (limit_ != nullptr) limit_->release(peer_);
    limit_ = nullptr;
}

bool PeerLimit::admit(const std::string& peer, bool exempt, Slot& slot) {
    if (max_ <= 0 || exempt) return true;
    {
        std::lock_guard lock(mutex_);
        int& n = open_[peer];
        if (n >= max_) return false;
        ++n;
    }
    slot = Slot(this, peer);  // outside the lock: a slot it replaces releases through it
    return true;
}

std::size_t PeerLimit::count(const std::string& peer) const {
    std::lock_guard lock(mutex_);
    const auto it = open_.find(peer);
    return it == open_.end() ? 0 : static_cast<std::size_t>(it->second);
}

void PeerLimit::release(const std::string& peer) noexcept {
    std::lock_guard lock(mutex_);
    const auto it = open_.find(peer);
    if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

bool isLoopbackPeer(const std::string& peer) noexcept { return peer == "::1" || peer.rfind("127.", 0) == 0; }

}  // namespace cpa::core
