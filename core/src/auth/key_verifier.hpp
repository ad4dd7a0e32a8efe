#pragma once
// Verifies a presented management key against the configured bcrypt hash.
// bcrypt runs at most once per distinct (hash, key) pair: accepted and
// rejected keys are remembered by their SHA-256 digest, so a request never
// pays for bcrypt twice and the plaintext is never kept in memory.
#include <array>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cpa::core {

class KeyVerifier {
public:
    using BcryptFn = std::function<bool(const std::string& plain, const std::string& hash)>;
    explicit KeyVerifier(BcryptFn bcrypt, std::size_t maxRejectedRemembered = 1024);

    bool verify(const std::string& presented, const std::string& bcryptHash);
    /// Number of bcrypt computations so far (for tests and metrics).
    std::uint64_t bcryptCalls() const;

private:
    using Digest = std::array<unsigned char, 32>;
    static Digest digestOf(const std::string& hash, const std::string& presented);

    BcryptFn bcrypt_;
    std::size_t maxRejected_;
    mutable std::mutex mutex_;
    std::string cachedHash_;                 // the cache belongs to this secret hash only
    bool haveAccepted_ = false;
    Digest accepted_{};                      // compared in constant time
    std::list<std::string> rejectedOrder_;   // oldest first
    std::unordered_map<std::string, std::list<std::string>::iterator> rejected_;
    std::uint64_t bcryptCalls_ = 0;
    // Single flight: concurrent requests with the same new key wait for one
    // bcrypt instead of each running their own (64 connections opening at
    // once would otherwise cost 64 bcrypt runs).
    std::unordered_map<std::string, std::shared_future<bool>> inFlight_;
};

}  // namespace cpa::core
