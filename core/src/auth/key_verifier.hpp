#pragma once
// Verifies a presented management key against the configured bcrypt hash.
// bcrypt runs at most once per distinct (hash, key) pair: the accepted key
// and rejected keys are remembered, so a request never pays for bcrypt twice.
//  * The accepted key (the hot path: every authorised request) is kept masked
//    with a random pad of its own length and compared to the presented key in
//    constant time, byte for byte: no hashing per request, and the plaintext
//    never sits in memory (or a core dump, or a log) as such.
//  * Rejected keys are remembered by their SHA-256 digest (bound to the hash).
// Cache hits take the lock shared; only a miss takes it exclusively.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cpa::core {

class KeyVerifier {
public:
    using BcryptFn = std::function<bool(const std::string& plain, const std::string& hash)>;
    explicit KeyVerifier(BcryptFn bcrypt, std::size_t maxRejectedRemembered = 1024);

    bool verify(const std::string& presented, const std::string& bcryptHash);
    /// Whether `presented` is the key already verified for `bcryptHash` (no
    /// bcrypt, constant time): the hot path of every authorised request.
    bool acceptsCached(std::string_view presented, const std::string& bcryptHash) const;
    /// Number of bcrypt computations so far (for tests and metrics).
    std::uint64_t bcryptCalls() const;

private:
    using Digest = std::array<unsigned char, 32>;
    static Digest digestOf(const std::string& hash, const std::string& presented);
    bool acceptedMatches(std::string_view presented) const noexcept;  // caller holds mutex_ (any mode)
    void rememberAccepted(std::string_view key);                     // caller holds mutex_ exclusively
    void resetFor(const std::string& bcryptHash);                     // caller holds mutex_ exclusively

    BcryptFn bcrypt_;
    std::size_t maxRejected_;
    mutable std::shared_mutex mutex_;
    std::string cachedHash_;                 // the cache belongs to this secret hash only
    bool haveAccepted_ = false;
    std::string acceptedPad_;                // random, as long as the accepted key
    std::string acceptedMasked_;             // accepted key XOR acceptedPad_
    std::list<std::string> rejectedOrder_;   // digests, oldest first
    std::unordered_map<std::string, std::list<std::string>::iterator> rejected_;
    std::atomic<std::uint64_t> bcryptCalls_{0};
    // Single flight: concurrent requests with the same new key wait for one
    // bcrypt instead of each running their own (64 connections opening at
    // once would otherwise cost 64 bcrypt runs).
    std::unordered_map<std::string, std::shared_future<bool>> inFlight_;
};

}  // namespace cpa::core
