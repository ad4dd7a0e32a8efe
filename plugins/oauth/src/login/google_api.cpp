#include "login/google_api.hpp"

#include "login/oauth_text.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/json.hpp>

#include <stdexcept>

namespace cpa::oauth::login {

using cpa::sdk::Value;

Value postJson(LoginEngine& engine, const std::string& url, const std::string& accessToken, const Value& body,
               const std::vector<std::pair<std::string, std::string>>& extra) {
    FetchRequest req;
    req.method = "POST";
    req.url = url;
    req.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + accessToken}};
    req.headers.insert(req.headers.end(), extra.begin(), extra.end());
    req.body = cpa::sdk::toJson(body);
    FetchResult res;
    try {
        res = engine.fetch(req);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("execute request: ") + e.what());
    }
    if (res.status < 200 || res.status >= 300) {
        throw std::runtime_error("api request failed with status " + std::to_string(res.status) + ": " +
                                 sdk::trimAscii(res.body));
    }
    try {
        return parseObject(res.body);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("decode response body: ") + e.what());
    }
}

std::string companionProject(const Value& object) {
    const Value* p = object.find("cloudaicompanionProject");
    if (p == nullptr) return {};
    if (p->isString()) return sdk::trimAscii(p->asString());
    if (p->isObject()) return sdk::trimAscii(stringMember(*p, "id"));
    return {};
}

std::string defaultTier(const Value& loadResponse) {
    const Value* tiers = loadResponse.find("allowedTiers");
    if (tiers != nullptr && tiers->isArray()) {
        for (const Value& tier : tiers->asArray()) {
            const Value* isDefault = tier.find("isDefault");
            if (isDefault != nullptr && isDefault->boolOr(false)) {
                std::string id = sdk::trimAscii(stringMember(tier, "id"));
                if (!id.empty()) return id;
            }
        }
    }
    return "legacy-tier";
}

std::vector<std::string> listGoogleProjects(LoginEngine& engine, const std::string& url,
                                            const std::string& accessToken) {
    FetchRequest req;
    req.url = url;
    req.headers = {{"Authorization", "Bearer " + accessToken}};
    FetchResult res;
    try {
        res = engine.fetch(req);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("failed to execute project list request: ") + e.what());
    }
    if (res.status < 200 || res.status >= 300) {
        throw std::runtime_error("project list request failed with status " + std::to_string(res.status) + ": " +
                                 sdk::trimAscii(res.body));
    }
    Value o;
    try {
        o = parseObject(res.body);
    } catch (const std::exception&) {
        throw std::runtime_error("failed to unmarshal project list");
    }
    std::vector<std::string> out;
    if (const Value* projects = o.find("projects"); projects != nullptr && projects->isArray()) {
        for (const Value& p : projects->asArray()) out.push_back(sdk::trimAscii(stringMember(p, "projectId")));
    }
    return out;
}

std::optional<GoogleToken> exchangeGoogleCode(LoginEngine& engine, const AuthCodeProvider& p, const std::string& state,
                                              const std::string& code) {
    try {
        FetchRequest req;
        req.method = "POST";
        req.url = p.tokenUrl;
        req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
        req.body = formEncode({{"grant_type", "authorization_code"},
                               {"code", code},
                               {"redirect_uri", p.redirectUri},
                               {"client_id", p.clientId},
                               {"client_secret", p.clientSecret}});
        const FetchResult res = engine.fetch(req);
        if (res.status < 200 || res.status >= 300) throw std::runtime_error("status " + std::to_string(res.status));
        return parseGoogleToken(res.body);
    } catch (const std::exception& e) {
        engine.log().warning("oauth login " + state + ": token exchange failed: " + e.what());
        engine.fail(state, "Failed to exchange token");
        return std::nullopt;
    }
}

}  // namespace cpa::oauth::login
