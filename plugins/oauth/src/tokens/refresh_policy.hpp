#pragma once
// When a stored OAuth token may be used and when it must be refreshed
// (oauth-executors.md §1.3, §1.8, §2.2, §2.3). Pure functions: the token
// service (token_service.hpp) and its unit tests feed them the time.
#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::oauth {

/// The provider's refresh lead time (oauth-executors.md §2.3) in nanoseconds; 0 = the provider
/// has no refresher here (its files are routed by other executors, later).
std::int64_t refreshLeadNs(std::string_view provider);

/// The access / refresh token of a file: top-level, or inside the `token`
/// object a Gemini CLI login writes (oauth-executors.md §1.3); "" when absent.
std::string storedAccessToken(const sdk::Value& metadata);
std::string storedRefreshToken(const sdk::Value& metadata);

/// Expiry from the keys of oauth-executors.md §1.3 (also inside a nested `token`/`Token`),
/// parsed per oauth-executors.md §1.8: RFC 3339, "YYYY-MM-DD HH:MM[:SS]" (UTC), Unix seconds
/// or milliseconds (as number or digits). nullopt when none parses.
std::optional<std::int64_t> tokenExpiryNs(const sdk::Value& metadata);

/// One time value per oauth-executors.md §1.8; nullopt when it does not parse or is <= 0.
std::optional<std::int64_t> parseTimeValueNs(const sdk::Value& value);

/// The last refresh from `last_refresh`, `lastRefresh`, `last_refreshed_at`
/// or `lastRefreshedAt` (oauth-executors.md §1.3), parsed per oauth-executors.md §1.8.
std::optional<std::int64_t> lastRefreshNs(const sdk::Value& metadata);

/// The "preferred interval" of oauth-executors.md §2.2 from `refresh_interval_seconds` &
/// co. (oauth-executors.md §1.3): a positive number of seconds (JSON number or digits); 0 = none.
std::int64_t preferredIntervalNs(const sdk::Value& metadata);

/// What the background loop knows of one credential (oauth-executors.md §2.2).
struct RefreshSchedule {
    std::optional<std::int64_t> expiryNs;
    std::optional<std::int64_t> lastRefreshNs;
    std::int64_t leadNs{};               ///< the provider's lead (oauth-executors.md §2.3); 0 = none
    std::int64_t preferredIntervalNs{};  ///< 0 = none
};

/// When the credential is next due for a background refresh (<= now: due
/// now); nullopt when it is never scheduled (no lead and no interval).
/// Lead mode: expiry − lead, else last refresh + lead, else now; interval
/// mode: min(expiry − interval, last refresh + interval), now when either is
/// passed or the last refresh is unknown. Never earlier than `nowNs`.
std::optional<std::int64_t> nextRefreshDueNs(const RefreshSchedule& schedule, std::int64_t nowNs);

/// A token closer to expiry than this is never sent when a refresh failed:
/// the upstream would reject it before the answer arrives.
inline constexpr std::int64_t kMinRemainingNs = 30'000'000'000LL;

enum class TokenAction {
    UseStored,     ///< valid beyond the lead time (or expiry unknown)
    Refresh,       ///< missing, expired or within the lead time: refresh first
    UseStoredStale,  ///< within the lead time, a refresh backs off, still valid: send it
    Fail,          ///< unusable and a refresh backs off: fail without a network call
};

struct TokenState {
    std::string accessToken;
    std::optional<std::int64_t> expiryNs;
    std::int64_t leadNs{};
    std::int64_t backoffUntilNs{};  ///< a failed refresh: none before this time (0 = none)
};

TokenAction decideToken(const TokenState& state, std::int64_t nowNs);

/// Whether a token with this expiry may still be sent after a failed refresh.
bool stillUsable(const std::optional<std::int64_t>& expiryNs, std::int64_t nowNs);

}  // namespace cpa::oauth
