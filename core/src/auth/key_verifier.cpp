#include "auth/key_verifier.hpp"

#include "auth/constant_time.hpp"

#include <Poco/SHA2Engine.h>

#include <cstring>

namespace cpa::core {

KeyVerifier::KeyVerifier(BcryptFn bcrypt, std::size_t maxRejectedRemembered)
    : bcrypt_(std::move(bcrypt)), maxRejected_(maxRejectedRemembered) {}

KeyVerifier::Digest KeyVerifier::digestOf(const std::string& hash, const std::string& presented) {
    // Bound to the hash so that a cached verdict never outlives its secret.
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(hash);
    engine.update(std::string(1, '\0'));
    engine.update(presented);
    const auto& d = engine.digest();
    Digest out{};
    std::memcpy(out.data(), d.data(), out.size());
    return out;
}

bool KeyVerifier::verify(const std::string& presented, const std::string& bcryptHash) {
    const Digest d = digestOf(bcryptHash, presented);
    const std::string key(reinterpret_cast<const char*>(d.data()), d.size());
    std::promise<bool> promise;
    {
        std::unique_lock lock(mutex_);
        if (cachedHash_ != bcryptHash) {
            cachedHash_ = bcryptHash;
            haveAccepted_ = false;
            rejected_.clear();
            rejectedOrder_.clear();
        }
        if (haveAccepted_ &&
            constantTimeEquals(std::string_view(reinterpret_cast<const char*>(accepted_.data()), accepted_.size()),
                               key)) {
            return true;
        }
        if (rejected_.count(key)) return false;
        if (auto it = inFlight_.find(key); it != inFlight_.end()) {
            std::shared_future<bool> pending = it->second;
            lock.unlock();
            return pending.get();
        }
        ++bcryptCalls_;
        inFlight_.emplace(key, promise.get_future().share());
    }
    // bcrypt outside the lock: it takes tens of milliseconds.
    bool ok = false;
    try {
        ok = bcrypt_(presented, bcryptHash);
    } catch (...) {
        ok = false;  // a failing verifier never grants access
    }
    std::lock_guard lock(mutex_);
    inFlight_.erase(key);
    promise.set_value(ok);
    if (cachedHash_ != bcryptHash) return ok;  // the secret changed meanwhile; don't cache
    if (ok) {
        accepted_ = d;
        haveAccepted_ = true;
    } else if (!rejected_.count(key)) {
        rejectedOrder_.push_back(key);
        rejected_[key] = std::prev(rejectedOrder_.end());
        if (rejectedOrder_.size() > maxRejected_) {
            rejected_.erase(rejectedOrder_.front());
            rejectedOrder_.pop_front();
        }
    }
    return ok;
}

std::uint64_t KeyVerifier::bcryptCalls() const {
    std::lock_guard lock(mutex_);
    return bcryptCalls_;
}

}  // namespace cpa::core
