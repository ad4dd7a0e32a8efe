#pragma once
// The per-(credential, model) cooldown state machine of data-plane §6.10.
// Pure: callers hold the lock and apply the registry marks it asks for.
#include "routing/clock.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace cpa::proxy {

struct ModelState {
    enum class Status { Active, Error, Disabled };
    bool unavailable{};
    Status status{Status::Active};
    std::optional<TimePoint> nextRetryAfter;
    std::string lastError;
    bool quotaExceeded{};
    std::optional<TimePoint> nextRecoverAt;
    int backoffLevel{};
};

struct Failure {
    int status{};  ///< 0 = no HTTP status
    std::string text;
    std::optional<std::chrono::seconds> retryAfter;
};

/// What a recorded failure asks of the registry (data-plane.md §5.4 marks).
struct FailureEffect {
    bool recorded{};            ///< false: request-scoped 404, state untouched
    std::string suspendReason;  ///< "" = no suspension
    bool quotaMark{};
};

/// Applies one failure; `coolingDisabled` is `disable-cooling`.
FailureEffect applyFailure(ModelState& state, const Failure& failure, bool coolingDisabled, TimePoint now);
/// A success resets the state completely (level 0).
void applySuccess(ModelState& state);

struct BlockInfo {
    bool blocked{};
    bool quota{};     ///< reason "cooldown" (quota-exceeded), else "other"
    bool disabled{};
    std::optional<TimePoint> until;
};
/// The blocking test of data-plane.md §6.10; a missing state is not blocked.
BlockInfo blockInfo(const ModelState* state, TimePoint now);

/// 1 s × 2^level, capped at 30 min; returns the cooldown and the next level.
std::pair<std::chrono::seconds, int> quotaBackoff(int level);

}  // namespace cpa::proxy
