#pragma once
// Client API-key authentication for Access::ClientKey routes (data-plane §3):
// five sources in a fixed order, exact comparison against `api-keys`, open
// access when the list is empty, re-read on every config publication.
#include "http/access_guard.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/http.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cpa::core {

class ClientKeyGuard : public AccessGuard {
public:
    /// Request attributes set on success (read by the proxy module).
    static constexpr std::string_view kPrincipalAttribute = sdk::kClientKeyAttribute;
    static constexpr std::string_view kSourceAttribute = "client-key-source";

    explicit ClientKeyGuard(sdk::ConfigStore& config);

    sdk::Next check(sdk::Request& req, sdk::Response& res) override;

    struct Candidate {
        std::string value;
        std::string_view source;  ///< authorization | x-goog-api-key | x-api-key | query-key | query-auth-token
    };
    /// The five candidate values in order (empty values included).
    static std::vector<Candidate> candidates(const sdk::Request& req);
    /// `api-keys` trimmed, blanks and duplicates dropped.
    static std::vector<std::string> normaliseKeys(const sdk::Value* list);

private:
    std::shared_ptr<const std::vector<std::string>> keysFor(const sdk::ConfigSnapshot& snap);

    sdk::ConfigStore& config_;
    // Identifies this guard in the per-thread cache (an address can be reused).
    const std::uint64_t instance_;
    std::mutex cacheMutex_;
    std::uint64_t cachedGeneration_ = 0;
    std::shared_ptr<const std::vector<std::string>> cachedKeys_;
};

}  // namespace cpa::core
