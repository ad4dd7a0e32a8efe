#pragma once
// A fake Management Center release feed on loopback: GET /releases/latest
// answers the release JSON naming /download/management.html (with a digest),
// GET /download/management.html the asset. Both are scriptable.
#include "fake_upstream.hpp"
#include "panel/panel_fetch.hpp"

#include <cpa/sdk/sha256.hpp>

#include <mutex>
#include <optional>
#include <string>

namespace cpa::test {

class FakePanelFeed {
public:
    FakePanelFeed() {
        upstream_.setHandler([this](const UpstreamRequest& r) { return answer(r); });
    }
    std::string releaseUrl() const { return upstream_.baseUrl() + "/releases/latest"; }
    /// The asset served, and the digest the release announces for it
    /// ("" = announce none; default: its real SHA-256).
    void setAsset(std::string body, std::optional<std::string> digest = std::nullopt) {
        std::lock_guard lock(mutex_);
        asset_ = std::move(body);
        digest_ = digest ? *digest : cpa::sdk::sha256Hex(asset_);
    }
    void setFeedStatus(int status) {
        std::lock_guard lock(mutex_);
        feedStatus_ = status;
    }
    std::size_t downloads() const { return count("/download/management.html"); }
    std::size_t feedRequests() const { return count("/releases/latest"); }
    FakeUpstream& upstream() { return upstream_; }

private:
    std::size_t count(const std::string& target) const {
        std::size_t n = 0;
        for (const auto& r : upstream_.requests()) n += r.target == target ? 1 : 0;
        return n;
    }
    UpstreamReply answer(const UpstreamRequest& r) {
        std::lock_guard lock(mutex_);
        UpstreamReply reply;
        if (r.target == "/releases/latest") {
            reply.status = feedStatus_;
            const std::string digest = digest_.empty() ? "" : ",\"digest\":\"sha256:" + digest_ + "\"";
            reply.body = R"({"tag_name":"v1","assets":[{"name":"other.txt","browser_download_url":"x"},)"
                         R"({"name":"management.html","browser_download_url":")" +
                         upstream_.baseUrl() + "/asset-redirect\"" + digest + "}]}";
        } else if (r.target == "/asset-redirect") {
            // GitHub's asset URLs redirect to a CDN.
            reply.status = 302;
            reply.headers = {{"Location", "/download/management.html"}};
        } else if (r.target == "/download/management.html") {
            reply.headers = {{"Content-Type", "text/html"}};
            reply.body = asset_;
        } else {
            reply.status = 404;
        }
        return reply;
    }

    FakeUpstream upstream_;
    mutable std::mutex mutex_;
    int feedStatus_ = 200;
    std::string asset_ = "<html>panel v1</html>";
    std::string digest_ = cpa::sdk::sha256Hex(asset_);
};

}  // namespace cpa::test
