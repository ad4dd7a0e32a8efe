#pragma once
// The global model table (data-plane §5.4): which credentials offer which
// model ids, the providers per id, suspension and quota marks, and the
// visibility rule of the listings. Thread-safe.
#include <cpa/sdk/value.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

namespace cpa::proxy {

using TimePoint = std::chrono::system_clock::time_point;

class ModelRegistry {
public:
    /// Replaces the credential's registration (and clears its marks).
    /// `prefix` maps a registered id to the state key of its marks.
    void registerCredential(const std::string& credId, const std::string& providerKey, const std::string& prefix,
                            std::vector<sdk::Value> models);
    void unregisterCredential(const std::string& credId);

    /// Whether the credential registered exactly this id.
    bool offers(const std::string& credId, const std::string& modelId) const;
    /// The credential's entries in registration order, each id once with the
    /// info it was first registered with; empty for an unknown credential.
    std::vector<sdk::Value> modelsOf(const std::string& credId) const;
    /// Providers offering the id: by offering credentials descending, then key ascending (data-plane.md §6.1).
    std::vector<std::string> providersFor(const std::string& modelId) const;

    /// Marks keyed by (credential, state key) (data-plane.md §6.6, §6.10).
    void suspend(const std::string& credId, const std::string& key, const std::string& reason);
    void setQuota(const std::string& credId, const std::string& key, TimePoint now);
    /// A success: suspension and quota mark gone.
    void resume(const std::string& credId, const std::string& key);

    /// Registry entries visible at `now`, ordered by id.
    std::vector<sdk::Value> listed(TimePoint now) const;
    /// The newest (largest `created`) listed id with a non-suspended credential (data-plane.md §6.1 `auto`).
    std::optional<std::string> newestAvailable(TimePoint now) const;

private:
    struct Registration {
        std::string provider;
        std::string prefix;
        std::map<std::string, sdk::Value> models;  // id → info
        std::vector<std::string> order;            // ids as first registered
    };
    struct Marks {
        std::string suspendReason;  // "" = none
        std::optional<TimePoint> quotaAt;
    };
    struct Counts {
        int n{}, q{}, s{}, c{};
        int free{};  // credentials with neither kind of mark
    };
    Counts countsFor(const std::string& id, TimePoint now) const;
    static std::string keyFor(const Registration& r, const std::string& id);

    mutable std::shared_mutex mutex_;
    std::map<std::string, Registration> byCredential_;
    std::map<std::string, std::set<std::string>> credentialsById_;  // id → credentials
    std::map<std::string, sdk::Value> lastInfo_;                    // id → last registered info
    std::map<std::pair<std::string, std::string>, Marks> marks_;    // (cred, key)
};

}  // namespace cpa::proxy
