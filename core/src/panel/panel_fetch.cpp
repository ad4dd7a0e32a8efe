#include "panel/panel_fetch.hpp"

#include "config/atomic_file.hpp"
#include "panel/panel_http.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/sha256.hpp>
#include <cpa/sdk/text.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <system_error>

namespace cpa::core::panel {
namespace {

namespace fs = std::filesystem;
using Outcome = FetchResult::Outcome;

constexpr const char* kUserAgent = "cpa-management-updater";

struct ReleaseAsset {
    std::string url;
    std::string digest;  ///< lower-case hex, "" when the release gives none
};

// "sha256:ABC…" → "abc…" (the original's parseDigest).
std::string parseDigest(const std::string& digest) {
    std::string d = sdk::trimAscii(digest);
    if (const auto colon = d.find(':'); colon != std::string::npos) d = d.substr(colon + 1);
    return sdk::lowerAscii(sdk::trimAscii(d));
}

ReleaseAsset findAsset(const std::string& json) {
    Poco::JSON::Parser parser;
    const auto release = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    const auto assets = release ? release->getArray("assets") : nullptr;
    if (assets) {
        for (std::size_t i = 0; i < assets->size(); ++i) {
            const auto a = assets->getObject(static_cast<unsigned>(i));
            if (!a || sdk::lowerAscii(a->optValue<std::string>("name", "")) != kAssetName) continue;
            return {a->optValue<std::string>("browser_download_url", ""), parseDigest(a->optValue<std::string>("digest", ""))};
        }
    }
    throw std::runtime_error(std::string("asset ") + std::string(kAssetName) + " not found in the latest release");
}

std::optional<std::string> fileSha256(const fs::path& p) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return std::nullopt;
    return sdk::sha256Hex(readWholeFile(p.string()));
}

HttpGetOptions httpOptions(const FetchOptions& o, bool releaseFeed) {
    HttpGetOptions h;
    h.proxyUrl = o.proxyUrl;
    h.timeout = o.timeout;
    h.headers = {{"User-Agent", kUserAgent}};
    if (releaseFeed) {
        h.headers.emplace_back("Accept", "application/vnd.github+json");
        h.maxBytes = 4u << 20;
    }
    return h;
}

FetchResult failed(std::string message, std::optional<std::string> local) {
    return {Outcome::Failed, std::move(message), local.value_or("")};
}

// Writes `data` over the target: temp file + fsync + rename (atomic_file),
// world-readable like the original's 0644 (it is served to anyone).
void install(const fs::path& target, const std::string& data) {
    fs::create_directories(target.parent_path());
    const bool existed = fs::exists(target);
    writeFileAtomically(target.string(), data);
    if (!existed) {
        fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                    fs::perms::others_read);
    }
}

}  // namespace

std::string resolveReleaseUrl(const std::string& repository) {
    const std::string repo = sdk::trimAscii(repository);
    if (repo.empty()) return std::string(kDefaultReleaseUrl);
    Poco::URI uri;
    try {
        uri = Poco::URI(repo);
    } catch (const std::exception&) {
        return std::string(kDefaultReleaseUrl);
    }
    const std::string host = sdk::lowerAscii(uri.getHost());
    if (host.empty() || (uri.getScheme() != "http" && uri.getScheme() != "https")) {
        return std::string(kDefaultReleaseUrl);
    }
    std::string path = uri.getPath();
    while (!path.empty() && path.back() == '/') path.pop_back();
    if (host == "api.github.com") {
        const std::string suffix = "/releases/latest";
        if (sdk::lowerAscii(path).size() < suffix.size() || sdk::lowerAscii(path).compare(path.size() - suffix.size(), suffix.size(), suffix))
            path += suffix;
        uri.setPath(path);
        return uri.toString();
    }
    if (host == "github.com") {
        std::vector<std::string> parts;
        for (std::size_t b = 0; b < path.size();) {
            const std::size_t e = std::min(path.find('/', b), path.size());
            if (e > b) parts.push_back(path.substr(b, e - b));
            b = e + 1;
        }
        if (parts.size() < 2) return std::string(kDefaultReleaseUrl);
        std::string name = parts[1];
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0) name.resize(name.size() - 4);
        return "https://api.github.com/repos/" + parts[0] + "/" + name + "/releases/latest";
    }
    return repo;  // (cpa) a mirror or a local feed, used as given
}

FetchOptions fetchOptionsFrom(const sdk::ConfigSnapshot& snap, const fs::path& configDir) {
    FetchOptions o;
    o.releaseUrl = resolveReleaseUrl(snap.getString("remote-management.panel-github-repository", ""));
    o.pinSha256 = sdk::lowerAscii(sdk::trimAscii(snap.getString("remote-management.panel-sha256", "")));
    o.proxyUrl = sdk::trimAscii(snap.getString("proxy-url", ""));
    o.target = configDir / "static" / std::string(kAssetName);
    return o;
}

FetchResult fetchPanel(const FetchOptions& o) {
    std::optional<std::string> local;
    try {
        local = fileSha256(o.target);
    } catch (const std::exception& e) {
        return failed("cannot read " + o.target.string() + ": " + e.what(), std::nullopt);
    }
    // A pinned file that is already there is the one wanted: no request at all.
    if (!o.pinSha256.empty() && local == o.pinSha256) return {Outcome::Unchanged, "panel matches the pinned SHA-256", *local};
    ReleaseAsset asset;
    try {
        const HttpGetResult r = httpGet(o.releaseUrl, httpOptions(o, true));
        if (r.status != 200) {
            return failed("release feed " + o.releaseUrl + " answered " + std::to_string(r.status) + ": " +
                              sdk::trimAscii(r.body), local);
        }
        asset = findAsset(r.body);
    } catch (const std::exception& e) {
        return failed("release feed " + o.releaseUrl + ": " + e.what(), local);
    }
    if (local && !asset.digest.empty() && *local == asset.digest && (o.pinSha256.empty() || o.pinSha256 == *local)) {
        return {Outcome::Unchanged, "panel is up to date (sha256 " + *local + ")", *local};
    }
    if (asset.url.empty()) return failed("the release's " + std::string(kAssetName) + " has no download URL", local);
    std::string data;
    try {
        const HttpGetResult r = httpGet(asset.url, httpOptions(o, false));
        if (r.status != 200) return failed("download " + asset.url + " answered " + std::to_string(r.status), local);
        data = r.body;
    } catch (const std::exception& e) {
        return failed("download " + asset.url + ": " + e.what(), local);
    }
    const std::string got = sdk::sha256Hex(data);
    if (!asset.digest.empty() && got != asset.digest) {
        return failed("digest mismatch: the release says " + asset.digest + ", the download is " + got +
                          "; kept the current file", local);
    }
    if (!o.pinSha256.empty() && got != o.pinSha256) {
        return failed("the download's SHA-256 " + got + " is not the pinned remote-management.panel-sha256 " +
                          o.pinSha256 + "; kept the current file", local);
    }
    try {
        install(o.target, data);
    } catch (const std::exception& e) {
        return failed("cannot write " + o.target.string() + ": " + e.what(), local);
    }
    return {Outcome::Updated, "panel written to " + o.target.string() + " (sha256 " + got + ")", got};
}

}  // namespace cpa::core::panel
