#pragma once
// The config keys routing reads per request (data-plane §6.4, §6.9–§6.11, §7–§8).
#include "routing/credential_pool.hpp"

#include <cpa/sdk/config.hpp>

#include <string>

namespace cpa::proxy {

struct RoutingSettings {
    int requestRetry{};         ///< negative → 0
    int maxRetryInterval{};     ///< seconds; negative → 0
    int maxRetryCredentials{};  ///< 0 = unlimited
    int bootstrapRetries{};     ///< streaming.bootstrap-retries
    bool disableCooling{};
    bool forceModelPrefix{};
    Strategy strategy{Strategy::RoundRobin};
    std::string proxyUrl;
    bool passthroughHeaders{};
    int streamKeepaliveSeconds{};
    int nonstreamKeepaliveSeconds{};
    /// quota-exceeded.* for Gemini CLI credentials (docs/compatibility.md Q1, Q2).
    bool switchProject{};
    bool switchPreviewModel{};
};

RoutingSettings settingsFrom(const sdk::ConfigSnapshot& snapshot);

/// Whether a reload must re-apply every credential (data-plane.md §4.2): a change of
/// force-model-prefix, oauth-model-alias, request-retry, max-retry-interval
/// or max-retry-credentials.
bool needsFullReapply(const sdk::ConfigSnapshot& before, const sdk::ConfigSnapshot& after);

}  // namespace cpa::proxy
