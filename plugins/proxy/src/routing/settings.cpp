#include "routing/settings.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace cpa::proxy {

namespace {
int nonNegative(std::int64_t v) { return static_cast<int>(std::clamp<std::int64_t>(v, 0, 1'000'000'000)); }
}  // namespace

RoutingSettings settingsFrom(const sdk::ConfigSnapshot& s) {
    RoutingSettings r;
    r.requestRetry = nonNegative(s.getInt("request-retry", 0));
    r.maxRetryInterval = nonNegative(s.getInt("max-retry-interval", 0));
    r.maxRetryCredentials = nonNegative(s.getInt("max-retry-credentials", 0));
    r.bootstrapRetries = nonNegative(s.getInt("streaming.bootstrap-retries", 0));
    r.disableCooling = s.getBool("disable-cooling", false);
    r.forceModelPrefix = s.getBool("force-model-prefix", false);
    r.strategy = parseStrategy(s.getString("routing.strategy", ""));
    r.proxyUrl = s.getString("proxy-url", "");
    r.passthroughHeaders = s.getBool("passthrough-headers", false);
    r.streamKeepaliveSeconds = nonNegative(s.getInt("streaming.keepalive-seconds", 0));
    r.nonstreamKeepaliveSeconds = nonNegative(s.getInt("nonstream-keepalive-interval", 0));
    r.switchProject = s.getBool("quota-exceeded.switch-project", false);
    r.switchPreviewModel = s.getBool("quota-exceeded.switch-preview-model", false);
    return r;
}

bool needsFullReapply(const sdk::ConfigSnapshot& before, const sdk::ConfigSnapshot& after) {
    static constexpr std::array<std::string_view, 5> keys = {"force-model-prefix", "oauth-model-alias", "request-retry",
                                                             "max-retry-interval", "max-retry-credentials"};
    for (std::string_view k : keys) {
        const sdk::Value* a = before.find(k);
        const sdk::Value* b = after.find(k);
        if ((a == nullptr) != (b == nullptr) || (a && *a != *b)) return true;
    }
    return false;
}

}  // namespace cpa::proxy
