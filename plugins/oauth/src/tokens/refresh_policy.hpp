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

/// The provider's refresh lead time (§2.3) in nanoseconds; 0 = the provider
/// has no refresher here (its files are routed by other executors, later).
std::int64_t refreshLeadNs(std::string_view provider);

/// The access / refresh token of a file: top-level, or inside the `token`
/// object a Gemini CLI login writes (oauth-executors.md §1.3); "" when absent.
std::string storedAccessToken(const sdk::Value& metadata);
std::string storedRefreshToken(const sdk::Value& metadata);

/// Expiry from the keys of §1.3 (also inside a nested `token`/`Token`),
/// parsed per §1.8: RFC 3339, "YYYY-MM-DD HH:MM[:SS]" (UTC), Unix seconds
/// or milliseconds (as number or digits). nullopt when none parses.
std::optional<std::int64_t> tokenExpiryNs(const sdk::Value& metadata);

/// One time value per §1.8; nullopt when it does not parse or is <= 0.
std::optional<std::int64_t> parseTimeValueNs(const sdk::Value& value);

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
