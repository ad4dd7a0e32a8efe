#pragma once
// GET /latest-version: one request to a release feed (management-api-core.md §5.4).
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/value.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::config {

/// The original's feed; `latest-version-url` in config.yaml overrides it.
inline constexpr std::string_view kDefaultReleaseUrl =
    "https://api.github.com/repos/router-for-me/CLIProxyAPI/releases/latest";
inline constexpr std::string_view kReleaseUrlKey = "latest-version-url";

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

struct ReleaseQuery {
    std::string url;
    std::string proxyUrl;  ///< the `proxy-url` setting as stored
    std::chrono::milliseconds timeout{10000};
    EnvLookup env;  ///< environment proxies; empty = the process environment
};

/// What to answer: status and JSON body (one of the six outcomes).
struct ReleaseOutcome {
    int status = 0;
    sdk::Value body;
};

/// Performs the request; never throws. `logger` (optional) hears about an
/// invalid proxy-url, which is ignored like the original does.
ReleaseOutcome fetchLatestVersion(const ReleaseQuery& query, sdk::Logger* logger = nullptr);

}  // namespace cpa::config
