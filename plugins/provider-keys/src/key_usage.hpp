#pragma once
// Per-credential request counters behind GET /api-key-usage
// (management-api-core.md §5.10, data-plane.md §11.3), fed by `usage.record`
// events. Counters are keyed by auth index, which is stable for a credential
// whose identity did not change, so they survive reloads; credentials that
// leave the config are forgotten.
#include <cpa/sdk/value.hpp>

#include <array>
#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <string>

namespace cpa::provider_keys {

class KeyUsage {
public:
    static constexpr int kBuckets = 20;
    static constexpr std::int64_t kBucketSeconds = 600;

    /// Counts one usage.record if it names a live config credential (by
    /// `auth_index`, else `auth_id`); `now` is the bucket's clock.
    void record(const sdk::Value& event, std::time_t now);
    /// The /api-key-usage body for the credentials of `root` at `now`.
    sdk::Value snapshot(const sdk::Value& root, std::time_t now) const;
    /// Re-reads the live credential set (after every config publication).
    void refresh(const sdk::Value& root);

    /// "HH:MM-HH:MM" of the bucket starting at `start` (local time).
    static std::string bucketLabel(std::time_t start);

private:
    struct Counter {
        std::int64_t success = 0;
        std::int64_t failed = 0;
        std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> buckets;  ///< window → (success, failed)
    };

    mutable std::mutex mutex_;
    std::map<std::string, std::string> idToIndex_;  ///< live credentials: id → auth index
    std::map<std::string, Counter> counters_;       ///< by auth index
};

}  // namespace cpa::provider_keys
