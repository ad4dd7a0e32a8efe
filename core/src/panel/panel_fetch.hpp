#pragma once
// The web panel (management.html) from the Management Center's releases, as
// the original's managementasset updater does it: read the latest release,
// find the asset, skip the download when the local file already has its
// digest, check the digest (and an optional SHA-256 pin) before an atomic
// replace. A failure never touches the file already there.
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace cpa::sdk {
class ConfigSnapshot;
}

namespace cpa::core::panel {

/// The Management Center's release feed (the original's default).
inline constexpr std::string_view kDefaultReleaseUrl =
    "https://api.github.com/repos/router-for-me/Cli-Proxy-API-Management-Center/releases/latest";
inline constexpr std::string_view kAssetName = "management.html";

/// `remote-management.panel-github-repository` → release feed URL, the
/// original's rules: "" → default; https://github.com/<owner>/<repo>[.git] →
/// its api.github.com latest-release URL; an api.github.com URL gets
/// /releases/latest appended when missing. (cpa) Any other http(s) URL is
/// used as the feed itself (a mirror, a test server); the original falls back
/// to the default there.
std::string resolveReleaseUrl(const std::string& repository);

struct FetchOptions {
    std::string releaseUrl = std::string(kDefaultReleaseUrl);
    std::filesystem::path target;  ///< the file to create or replace
    std::string pinSha256;         ///< "" = none; else the file must have this digest (hex)
    std::string proxyUrl;          ///< the config's proxy-url
    std::chrono::milliseconds timeout{15000};
};

struct FetchResult {
    enum class Outcome { Updated, Unchanged, Failed };
    Outcome outcome = Outcome::Failed;
    std::string message;  ///< one line for the log
    std::string sha256;   ///< the file's digest after the fetch ("" when there is none)
};

/// One fetch. Never throws; Failed leaves `target` as it was.
FetchResult fetchPanel(const FetchOptions& options);

/// The options the config asks for: feed, pin (remote-management.panel-sha256)
/// and proxy-url; `target` is <configDir>/static/management.html.
FetchOptions fetchOptionsFrom(const sdk::ConfigSnapshot& snap, const std::filesystem::path& configDir);

}  // namespace cpa::core::panel
