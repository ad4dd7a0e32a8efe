#pragma once
// How an Antigravity 429 is handled (oauth-executors.md §4.2) and which
// answers are retried on the same credential (oauth-executors.md §3.4.4).
#include <optional>
#include <string>

namespace cpa::proxy::upstream {

struct Antigravity429 {
    enum class Kind {
        SoftRetry,      ///< retried after a short growing pause
        InstantRetry,   ///< retried on the same credential after the delay (+ 0.8 s)
        ShortCooldown,  ///< the credential rests for the delay; the next credential is tried
        QuotaExhausted  ///< an ordinary quota answer: routing's cooldown
    };
    Kind kind{Kind::SoftRetry};
    std::optional<double> retryAfterSeconds;  ///< the body's hint (googleRetryDelaySeconds)
    std::string reason;                       ///< the ErrorInfo reason, or quota_exhausted
};

/// Not RESOURCE_EXHAUSTED (or empty) → soft retry; ErrorInfo QUOTA_EXHAUSTED
/// → quota; RATE_LIMIT_EXCEEDED without a delay → soft, under 3 s → instant
/// retry, under 5 min → short cooldown, else quota; "quota exhausted" /
/// "quota_exhausted" anywhere → quota; anything else → soft.
Antigravity429 decideAntigravity429(const std::string& body);

/// A 503 whose body says "no capacity available" (any case).
bool antigravityNoCapacity(int status, const std::string& body);

}  // namespace cpa::proxy::upstream
