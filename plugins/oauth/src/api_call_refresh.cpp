#include "api_call_refresh.hpp"

#include "login/login_settings.hpp"
#include "time_values.hpp"
#include "upstream_client.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/time_format.hpp>
#include <cpa/sdk/url_encoding.hpp>

namespace cpa::oauth {

namespace {

struct Refreshed {
    std::string accessToken;
    std::string refreshToken;
    std::string tokenType;
    std::int64_t expiresIn{};
};

std::optional<Refreshed> postRefresh(const std::string& tokenUrl, const std::string& clientId,
                                     const std::string& clientSecret, const std::string& refreshToken,
                                     const std::optional<ProxySpec>& proxy) {
    OutboundRequest req;
    req.method = "POST";
    req.url = tokenUrl;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    req.body = "client_id=" + sdk::percentEncode(clientId) + "&client_secret=" + sdk::percentEncode(clientSecret) +
               "&grant_type=refresh_token&refresh_token=" + sdk::percentEncode(refreshToken);
    try {
        InboundResponse res = performRequest(req, proxy, std::chrono::seconds(60), 1u << 20);
        if (res.status < 200 || res.status > 299) return std::nullopt;
        sdk::Value v = sdk::parseJson(res.body);
        Refreshed r;
        r.accessToken = metaString(v, "access_token");
        r.refreshToken = metaString(v, "refresh_token");
        r.tokenType = metaString(v, "token_type");
        if (const sdk::Value* e = v.find("expires_in"); e && e->isNumber())
            r.expiresIn = static_cast<std::int64_t>(e->asDouble());
        if (r.accessToken.empty()) return std::nullopt;
        return r;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::string refreshAccessToken(const CallCredential& cred, const sdk::ConfigSnapshot& config,
                               FileCredentialStore& store, const std::optional<ProxySpec>& proxy) {
    const login::LoginSettings settings = login::readLoginSettings(config);
    const sdk::Value& m = cred.metadata;
    if (cred.provider == "gemini-cli") {
        const sdk::Value* tok = m.find("token");
        std::string refresh = tok && tok->isObject() ? metaString(*tok, "refresh_token") : "";
        if (refresh.empty()) refresh = metaString(m, "refresh_token");
        if (refresh.empty()) return "";
        auto r = postRefresh(settings.gemini.tokenUrl, settings.gemini.clientId, settings.gemini.clientSecret, refresh,
                             proxy);
        return r ? r->accessToken : "";
    }
    // antigravity
    const std::string refresh = metaString(m, "refresh_token");
    if (refresh.empty()) return "";
    auto r = postRefresh(settings.antigravity.tokenUrl, settings.antigravity.clientId,
                         settings.antigravity.clientSecret, refresh, proxy);
    if (!r) return "";
    sdk::Value updated = m;
    updated.set("access_token", r->accessToken);
    if (!r->refreshToken.empty()) updated.set("refresh_token", r->refreshToken);
    if (r->expiresIn > 0) {
        const std::int64_t now = nowNs();
        updated.set("expires_in", r->expiresIn);
        updated.set("timestamp", now / 1000000);
        updated.set("expired", sdk::formatRfc3339(sdk::zonedFromUnixNanos(sdk::saturatingNanos(now / 1000000000LL + r->expiresIn))));
    }
    updated.set("type", "antigravity");
    try {
        if (StoredPtr rec = store.record(cred.fileName)) store.rewrite(cred.fileName, updated, rec->statusMessage);
    } catch (const std::exception&) {
        // The token is still good for this call; the next one refreshes again.
    }
    return r->accessToken;
}

}  // namespace cpa::oauth
