#include "tokens/refresh_providers.hpp"

#include "credential_record.hpp"
#include "login/antigravity_project.hpp"
#include "login/pkce.hpp"
#include "time_values.hpp"
#include "login/token_results.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/time_format.hpp>

#include <cpa/sdk/url_encoding.hpp>

#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace cpa::oauth {

namespace {

std::string hostName() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) return "unknown";
    return host;
}

std::int64_t intOf(const sdk::Value& o, std::string_view key) {
    const sdk::Value* v = o.find(key);
    if (!v) return 0;
    return v->isDouble() ? static_cast<std::int64_t>(v->asDouble()) : v->intOr(0);
}

OutboundRequest googleRequest(const login::AuthCodeProvider& p, const std::string& refreshToken) {
    OutboundRequest req;
    req.method = "POST";
    req.url = p.tokenUrl;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    // Client credentials as form parameters, as golang.org/x/oauth2 sends
    // them for Google (oauth-executors.md §2.5); the file's own client id is not used (§2.5).
    req.body = "client_id=" + sdk::percentEncode(p.clientId) + "&client_secret=" + sdk::percentEncode(p.clientSecret) +
               "&grant_type=refresh_token&refresh_token=" + sdk::percentEncode(refreshToken);
    return req;
}

OutboundRequest kimiRequest(const login::KimiProvider& p, const std::string& refreshToken, const sdk::Value& meta) {
    std::string device = metaString(meta, "device_id");
    if (device.empty()) device = login::randomUuid();
    OutboundRequest req;
    req.method = "POST";
    req.url = p.tokenUrl;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Accept", "application/json"},
                   {"X-Msh-Platform", "cli-proxy-api"},
                   {"X-Msh-Version", "1.0.0"},
                   {"X-Msh-Device-Name", hostName()},
                   {"X-Msh-Device-Model", "Linux amd64"},
                   {"X-Msh-Device-Id", device}};
    req.body = "client_id=" + sdk::percentEncode(p.clientId) + "&grant_type=refresh_token&refresh_token=" +
               sdk::percentEncode(refreshToken);
    return req;
}

/// Gemini CLI: the `token` object holds the OAuth token (as the login writes
/// it); top-level copies, when the file has them, follow so readers of either agree.
void mergeGemini(sdk::Value& merged, const login::GoogleToken& t, std::chrono::system_clock::time_point now) {
    const sdk::Value* old = merged.find("token");
    sdk::Value token = old && old->isObject() ? *old : sdk::Value::object();
    token.set("access_token", t.accessToken);
    if (!t.refreshToken.empty()) token.set("refresh_token", t.refreshToken);
    if (!t.tokenType.empty()) token.set("token_type", t.tokenType);
    if (t.expiresIn > 0) {
        token.set("expires_in", sdk::Value(static_cast<long long>(t.expiresIn)));
        token.set("expiry", sdk::formatRfc3339Nano(sdk::localTime(now + std::chrono::seconds(t.expiresIn))));
    }
    merged.set("token", std::move(token));
    if (merged.find("access_token")) merged.set("access_token", t.accessToken);
    if (merged.find("refresh_token") && !t.refreshToken.empty()) merged.set("refresh_token", t.refreshToken);
    if (merged.find("expiry") && t.expiresIn > 0)
        merged.set("expiry", sdk::formatRfc3339Nano(sdk::localTime(now + std::chrono::seconds(t.expiresIn))));
    merged.set("last_refresh", sdk::formatRfc3339(sdk::localTime(now)));
}

}  // namespace

bool extraRefreshProvider(std::string_view p) { return p == "gemini-cli" || p == "antigravity" || p == "kimi"; }

std::optional<OutboundRequest> extraRefreshRequest(std::string_view provider, const std::string& refreshToken,
                                                   const sdk::Value& metadata, const login::LoginSettings& settings) {
    if (provider == "gemini-cli") return googleRequest(settings.gemini, refreshToken);
    if (provider == "antigravity") {
        OutboundRequest req = googleRequest(settings.antigravity, refreshToken);
        req.headers.emplace_back("User-Agent", "Go-http-client/2.0");  // as Antigravity's refresh (oauth-executors.md §2.4)
        return req;
    }
    if (provider == "kimi") return kimiRequest(settings.kimi, refreshToken, metadata);
    return std::nullopt;
}

sdk::Value mergeExtraRefreshed(std::string_view provider, const sdk::Value& previous, const std::string& body,
                               std::chrono::system_clock::time_point now) {
    const login::GoogleToken t = login::parseGoogleToken(body);  // throws without access_token
    sdk::Value merged = previous.isObject() ? previous : sdk::Value::object();
    if (provider == "gemini-cli") {
        mergeGemini(merged, t, now);
        return merged;
    }
    merged.set("access_token", t.accessToken);
    if (!t.refreshToken.empty()) merged.set("refresh_token", t.refreshToken);
    merged.set("type", std::string(provider));
    if (provider == "antigravity") {
        merged.set("expires_in", sdk::Value(static_cast<long long>(t.expiresIn)));
        merged.set("timestamp", sdk::Value(static_cast<long long>(unixMillis(now))));
        merged.set("expired", sdk::formatRfc3339(sdk::localTime(now + std::chrono::seconds(t.expiresIn))));
        return merged;  // the original writes no last_refresh for antigravity (oauth-executors.md §2.4)
    }
    // kimi: `expired` (UTC) only with a lifetime.
    const std::int64_t expiresIn = intOf(sdk::parseJson(body), "expires_in");
    if (expiresIn > 0) merged.set("expired", sdk::formatRfc3339(sdk::utcTime(now + std::chrono::seconds(expiresIn))));
    merged.set("last_refresh", sdk::formatRfc3339(sdk::localTime(now)));
    return merged;
}

void discoverMissingProject(std::string_view provider, sdk::Value& metadata, const login::LoginSettings& settings,
                            const std::optional<ProxySpec>& proxy, std::chrono::milliseconds budget,
                            CancelToken* cancel) {
    if (provider != "antigravity" || metadata.find("project_id")) return;
    const std::string token = metaString(metadata, "access_token");
    if (token.empty()) return;
    const auto deadline = std::chrono::steady_clock::now() + budget;
    const auto post = [&](const std::string& url, const sdk::Value& body) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) throw std::runtime_error("no time left");
        OutboundRequest req;
        req.method = "POST";
        req.url = url;
        req.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
        for (const auto& h : login::antigravityCodeAssistHeaders()) req.headers.push_back(h);
        req.body = sdk::toJson(body);
        const InboundResponse res = performRequest(req, proxy, left, 1u << 20, cancel);
        if (res.status < 200 || res.status > 299) throw std::runtime_error("status " + std::to_string(res.status));
        return sdk::parseJson(res.body);
    };
    const auto pause = [&] {
        const auto wait = settings.antigravity.onboardPollInterval;
        if (std::chrono::steady_clock::now() + wait >= deadline) return false;
        if (cancel) return cancel->sleepFor(wait);
        std::this_thread::sleep_for(wait);
        return true;
    };
    try {
        if (std::string project = login::discoverAntigravityProject(settings.antigravity.codeAssistUrl, post, pause);
            !project.empty())
            metadata.set("project_id", project);
    } catch (const std::exception&) {
        // The refreshed token is kept either way; the project stays unknown.
    }
}

}  // namespace cpa::oauth
