#pragma once
// The credentials the router may use and their runtime state (data-plane
// data-plane.md §4.2, §6.2–§6.6, §6.10): reload reconciliation, candidate selection with
// priority and strategy, upstream model resolution, result recording.
// One mutex guards the state; executors are never called under it.
#include "registry/credential.hpp"
#include "registry/model_registry.hpp"
#include "routing/clock.hpp"
#include "routing/model_state.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cpa::proxy {

enum class Strategy { RoundRobin, FillFirst };
/// `fill-first`, `fillfirst`, `ff` (any case) → FillFirst; anything else round-robin.
Strategy parseStrategy(std::string_view text);

struct PickError {
    enum class Code { AuthNotFound, AuthUnavailable, ModelCooldown };
    Code code{Code::AuthNotFound};
    TimePoint resetAt{};  ///< ModelCooldown: earliest recovery
};

struct PickResult {
    CredentialPtr credential;  ///< null → error is set
    std::optional<PickError> error;
};

/// One upstream name to try for a credential (data-plane.md §6.5) and the key its result is stored under (§6.6).
struct UpstreamChoice {
    std::string model;
    std::string stateKey;
};

class CredentialPool {
public:
    CredentialPool(ModelRegistry& registry, Clock& clock);

    /// Reconciles with a new synthesis (data-plane.md §4.2): new ones added, vanished ones
    /// disabled, changed ones (or all, with `reapplyAll`) replaced with fresh
    /// state; unchanged ones keep their state.
    void apply(const std::vector<CredentialPtr>& credentials, bool forceModelPrefix, bool reapplyAll);

    PickResult pick(const std::vector<std::string>& providers, const std::string& routeModel,
                    const std::set<std::string>& tried, Strategy strategy);

    /// quota-exceeded.switch-project: the first ready credential (id order) of
    /// the same account (Credential::accountKey) that offers the model and
    /// was not tried; null when there is none.
    CredentialPtr pickSameAccount(const std::vector<std::string>& providers, const std::string& routeModel,
                                  const std::set<std::string>& tried, const std::string& accountKey);
    /// Whether the credential's state for `stateKey` blocks it now.
    bool blocked(const std::string& credentialId, const std::string& stateKey) const;

    /// Names to try, in order, without blocked ones (empty: skip the credential).
    std::vector<UpstreamChoice> upstreamModels(const Credential& credential, const std::string& routeModel);

    void recordSuccess(const std::string& credentialId, const std::string& stateKey);
    void recordFailure(const std::string& credentialId, const std::string& stateKey, const Failure& failure,
                       bool coolingDisabled);

    /// Shortest wait until a blocked credential of `providers` is free for the model (data-plane.md §6.9).
    std::optional<std::chrono::milliseconds> closestWait(const std::vector<std::string>& providers,
                                                         const std::string& routeModel);

    // Introspection (tests, management later).
    std::optional<ModelState> state(const std::string& credentialId, const std::string& stateKey) const;
    struct Counters {
        std::int64_t success{}, failed{};
        bool disabled{};
        bool known{};
    };
    Counters counters(const std::string& credentialId) const;
    /// The credential's state as GET /auth-files shows it
    /// (oauth-executors.md §4.4): error when a model is in error, unavailable when every model
    /// with a state is blocked, the earliest recovery then.
    struct Summary {
        bool known{}, error{}, unavailable{};
        std::string lastError;
        std::optional<TimePoint> nextRetryAfter;
        std::int64_t success{}, failed{};
    };
    Summary summary(const std::string& credentialId) const;
    std::vector<CredentialPtr> activeCredentials() const;
    /// Per active credential: models cooling down (blocked until a retry time
    /// still ahead) and models over quota, for /metrics.
    struct StateCount {
        CredentialPtr credential;
        std::size_t coolingModels{};
        std::size_t quotaModels{};
    };
    std::vector<StateCount> stateCounts() const;

    /// The state key for blocking checks of a non-pool credential: the selection
    /// model (prefix removed) without thinking suffix (data-plane.md §6.6 recommendation).
    static std::string selectionKey(const Credential& credential, const std::string& routeModel);

private:
    struct Entry {
        CredentialPtr credential;
        bool disabled{};
        std::map<std::string, ModelState> states;
        std::int64_t success{}, failed{};
    };
    void registerLocked(const Entry& e);
    bool offersLocked(const Credential& c, const std::string& routeModel) const;
    CredentialPtr roundRobinLocked(const std::string& provider, const std::string& model, int priority,
                                   const std::vector<Entry*>& ready);

    ModelRegistry& registry_;
    Clock& clock_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_;  // by credential id (byte-wise order)
    bool forceModelPrefix_{};
    Strategy strategy_{Strategy::RoundRobin};
    std::map<std::string, std::size_t> cursors_;       // provider|model|priority
    std::map<std::string, std::size_t> slots_;         // providers|model
    std::map<std::string, std::size_t> poolCounters_;  // credential|provider|model
};

}  // namespace cpa::proxy
