#include "routing/model_state.hpp"

#include "routing/error_class.hpp"

#include <algorithm>

namespace cpa::proxy {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

std::pair<seconds, int> quotaBackoff(int level) {
    const seconds cap = minutes(30);
    if (level < 0) level = 0;
    if (level >= 31) return {cap, level};
    const seconds cooldown(std::int64_t{1} << level);
    if (cooldown >= cap) return {cap, level};
    return {cooldown, level + 1};
}

FailureEffect applyFailure(ModelState& state, const Failure& f, bool dc, TimePoint now) {
    FailureEffect effect;
    if (isRequestScopedNotFound(f.status, f.text)) return effect;
    effect.recorded = true;
    state.unavailable = true;
    state.status = ModelState::Status::Error;
    state.lastError = f.text;
    auto cool = [&](auto duration, const char* reason) {
        if (dc) {
            state.nextRetryAfter.reset();
            return;
        }
        state.nextRetryAfter = now + duration;
        if (reason) effect.suspendReason = reason;
    };
    if (isModelSupportError(f.status, f.text)) {
        state.nextRetryAfter = now + hours(12);  // even with disable-cooling
        effect.suspendReason = "model_not_supported";
        return effect;
    }
    switch (f.status) {
        case 401:
            cool(minutes(30), "unauthorized");
            break;
        case 402:
        case 403:
            cool(minutes(30), "payment_required");
            break;
        case 404:
            cool(hours(12), "not_found");
            break;
        case 429: {
            std::optional<TimePoint> next;
            int level = state.backoffLevel;
            if (!dc) {
                if (f.retryAfter) {
                    next = now + *f.retryAfter;
                } else {
                    auto [cooldown, nextLevel] = quotaBackoff(level);
                    next = now + cooldown;
                    level = nextLevel;
                }
                effect.suspendReason = "quota";
                effect.quotaMark = true;
            }
            state.nextRetryAfter = next;
            state.quotaExceeded = true;
            state.nextRecoverAt = next;
            state.backoffLevel = level;
            break;
        }
        case 408:
        case 500:
        case 502:
        case 503:
        case 504:
            cool(minutes(1), nullptr);
            break;
        default:
            state.nextRetryAfter.reset();
            break;
    }
    return effect;
}

void applySuccess(ModelState& state) { state = ModelState{}; }

BlockInfo blockInfo(const ModelState* state, TimePoint now) {
    BlockInfo info;
    if (!state) return info;
    if (state->status == ModelState::Status::Disabled) {
        info.blocked = info.disabled = true;
        return info;
    }
    if (state->unavailable && state->nextRetryAfter && *state->nextRetryAfter > now) {
        info.blocked = true;
        TimePoint until = *state->nextRetryAfter;
        if (state->nextRecoverAt) until = std::max(until, *state->nextRecoverAt);
        info.until = until;
        info.quota = state->quotaExceeded;
    }
    return info;
}

}  // namespace cpa::proxy
