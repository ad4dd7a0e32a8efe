#include "auth/key_verifier.hpp"

#include <cpa/sdk/sha256.hpp>

#include <Poco/RandomStream.h>

#include <cstring>
#include <mutex>
#include <optional>

namespace cpa::core {

KeyVerifier::KeyVerifier(BcryptFn bcrypt, std::size_t maxRejectedRemembered)
    : bcrypt_(std::move(bcrypt)), maxRejected_(maxRejectedRemembered) {}

KeyVerifier::Digest KeyVerifier::digestOf(const std::string& hash, const std::string& presented) {
    // Bound to the hash so that a cached verdict never outlives its secret.
    std::string input;
    input.reserve(hash.size() + 1 + presented.size());
    input.append(hash).push_back('\0');
    input.append(presented);
    const std::string d = sdk::sha256Bytes(input);
    Digest out{};
    std::memcpy(out.data(), d.data(), out.size());
    return out;
}

// Constant time in the presented key's content: every byte of the accepted
// key is visited whatever the input, with no early exit; a length mismatch
// only makes the verdict false.
bool KeyVerifier::acceptedMatches(std::string_view presented) const noexcept {
    if (!haveAccepted_) return false;
    const std::size_t n = acceptedMasked_.size();
    std::size_t diff = presented.size() ^ n;
    for (std::size_t i = 0; i < n; ++i) {
        const auto p = static_cast<unsigned char>(i < presented.size() ? presented[i] : 0);
        diff |= static_cast<unsigned char>(p ^ static_cast<unsigned char>(acceptedPad_[i]) ^
                                           static_cast<unsigned char>(acceptedMasked_[i]));
    }
    return diff == 0;
}

void KeyVerifier::rememberAccepted(std::string_view key) {
    std::string pad(key.size(), '\0');
    Poco::RandomInputStream().read(pad.data(), static_cast<std::streamsize>(pad.size()));
    std::string masked(key.size(), '\0');
    for (std::size_t i = 0; i < key.size(); ++i) masked[i] = static_cast<char>(key[i] ^ pad[i]);
    acceptedPad_ = std::move(pad);
    acceptedMasked_ = std::move(masked);
    haveAccepted_ = true;
}

void KeyVerifier::resetFor(const std::string& bcryptHash) {
    cachedHash_ = bcryptHash;
    haveAccepted_ = false;
    acceptedPad_.clear();
    acceptedMasked_.clear();
    rejected_.clear();
    rejectedOrder_.clear();
}

bool KeyVerifier::acceptsCached(std::string_view presented, const std::string& bcryptHash) const {
    // The accepted key, no hashing, the lock shared.
    std::shared_lock lock(mutex_);
    return cachedHash_ == bcryptHash && acceptedMatches(presented);
}

bool KeyVerifier::verify(const std::string& presented, const std::string& bcryptHash) {
    if (acceptsCached(presented, bcryptHash)) return true;
    const Digest d = digestOf(bcryptHash, presented);
    const std::string key(reinterpret_cast<const char*>(d.data()), d.size());
    {
        std::shared_lock lock(mutex_);
        if (cachedHash_ == bcryptHash && rejected_.count(key)) return false;
    }
    // A miss (or a race with the verdict being stored): single flight.
    std::optional<std::promise<bool>> promise;
    {
        std::unique_lock lock(mutex_);
        if (cachedHash_ != bcryptHash) resetFor(bcryptHash);
        if (acceptedMatches(presented)) return true;
        if (rejected_.count(key)) return false;
        if (auto it = inFlight_.find(key); it != inFlight_.end()) {
            std::shared_future<bool> pending = it->second;
            lock.unlock();
            return pending.get();
        }
        ++bcryptCalls_;
        promise.emplace();
        inFlight_.emplace(key, promise->get_future().share());
    }
    // bcrypt outside the lock: it takes tens of milliseconds.
    bool ok = false;
    try {
        ok = bcrypt_(presented, bcryptHash);
    } catch (...) {
        ok = false;  // a failing verifier never grants access
    }
    std::unique_lock lock(mutex_);
    inFlight_.erase(key);
    promise->set_value(ok);
    if (cachedHash_ != bcryptHash) return ok;  // the secret changed meanwhile; don't cache
    try {
        if (ok) {
            rememberAccepted(presented);
        } else if (!rejected_.count(key)) {
            rejectedOrder_.push_back(key);
            rejected_[key] = std::prev(rejectedOrder_.end());
            if (rejectedOrder_.size() > maxRejected_) {
                rejected_.erase(rejectedOrder_.front());
                rejectedOrder_.pop_front();
            }
        }
    } catch (...) {
        // Not remembered (no randomness or memory): the next request verifies again.
    }
    return ok;
}

std::uint64_t KeyVerifier::bcryptCalls() const { return bcryptCalls_.load(); }

}  // namespace cpa::core
