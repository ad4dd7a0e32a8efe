#include "api_call_refresh.hpp"

#include "login/login_settings.hpp"
#include "upstream_client.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/url_encoding.hpp>

namespace cpa::oauth {

namespace {

struct Refreshed {
    std::string accessToken;
    std::string refreshToken;
    std::string tokenType;
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
        if (r.accessToken.empty()) return std::nullopt;
        return r;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::string refreshGeminiCliToken(const CallCredential& cred, const sdk::ConfigSnapshot& config,
                                  const std::optional<ProxySpec>& proxy) {
    const login::LoginSettings settings = login::readLoginSettings(config);
    const sdk::Value& m = cred.metadata;
    const sdk::Value* tok = m.find("token");
    std::string refresh = tok && tok->isObject() ? metaString(*tok, "refresh_token") : "";
    if (refresh.empty()) refresh = metaString(m, "refresh_token");
    if (refresh.empty()) return "";
    auto r = postRefresh(settings.gemini.tokenUrl, settings.gemini.clientId, settings.gemini.clientSecret, refresh, proxy);
    return r ? r->accessToken : "";
}

}  // namespace cpa::oauth
