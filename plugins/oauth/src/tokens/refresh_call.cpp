#include "tokens/refresh_call.hpp"

#include "login/token_results.hpp"
#include "tokens/refresh_policy.hpp"
#include "tokens/refresh_providers.hpp"
#include "upstream_client.hpp"

#include <cpa/sdk/json.hpp>

#include <cpa/sdk/url_encoding.hpp>

#include <thread>

namespace cpa::oauth {

namespace {

using Clock = std::chrono::steady_clock;

std::string metaStr(const sdk::Value& m, std::string_view key) {
    const sdk::Value* v = m.find(key);
    return v && v->isString() ? v->asString() : std::string();
}

/// The token endpoint's request for `provider` (oauth-executors.md §2.4 table).
OutboundRequest refreshRequest(std::string_view provider, const std::string& refreshToken,
                               const login::LoginSettings& settings, const sdk::Value& metadata) {
    if (auto extra = extraRefreshRequest(provider, refreshToken, metadata, settings)) return *extra;
    OutboundRequest req;
    req.method = "POST";
    if (provider == "claude") {
        req.url = settings.anthropic.tokenUrl;
        req.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
        req.body = sdk::toJson(sdk::Value::object({{"client_id", settings.anthropic.clientId},
                                                   {"grant_type", "refresh_token"},
                                                   {"refresh_token", refreshToken}}));
    } else {
        req.url = settings.codex.tokenUrl;
        req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
        req.body = "client_id=" + sdk::percentEncode(settings.codex.clientId) +
                   "&grant_type=refresh_token&refresh_token=" + sdk::percentEncode(refreshToken) +
                   "&scope=" + sdk::percentEncode("openid profile email");
    }
    return req;
}

/// A bounded, single-line excerpt of an error body for the status message.
std::string excerpt(const std::string& body) {
    std::string out = body.substr(0, 300);
    for (char& c : out)
        if (c == '\n' || c == '\r') c = ' ';
    return out;
}

std::string timedOutMessage(std::chrono::milliseconds timeout) {
    const auto ms = timeout.count();
    const std::string span = ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
    return "token refresh failed: the token endpoint did not answer within " + span;
}

RefreshOutcome attempt(std::string_view provider, const sdk::Value& metadata, const OutboundRequest& req,
                       const std::optional<ProxySpec>& proxy, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds configured, Clock::time_point deadline, CancelToken* cancel) {
    RefreshOutcome out;
    InboundResponse res;
    try {
        res = performRequest(req, proxy, std::max(timeout, std::chrono::milliseconds(1)), 1u << 20, cancel);
    } catch (const std::exception& e) {
        out.status = 503;
        // Poco says only "Timeout": name the bound the operator configured.
        const bool timedOut = Clock::now() + std::chrono::milliseconds(50) >= deadline ||
                              std::string_view(e.what()).find("imeout") != std::string_view::npos;
        out.message = timedOut ? timedOutMessage(configured) : std::string("token refresh failed: ") + e.what();
        return out;
    }
    if (res.status != 200) {
        // A 4xx is the endpoint refusing this refresh token: retrying will not help.
        out.status = res.status >= 400 && res.status < 500 ? 401 : 503;
        out.message = "token refresh failed with status " + std::to_string(res.status) + ": " + excerpt(res.body);
        return out;
    }
    try {
        out.metadata = mergeRefreshed(provider, metadata, res.body, std::chrono::system_clock::now());
        out.ok = true;
    } catch (const std::exception& e) {
        out.status = 503;
        out.message = std::string("token refresh failed: invalid token response: ") + e.what();
    }
    return out;
}

}  // namespace

bool refreshableProvider(std::string_view provider) {
    return provider == "claude" || provider == "codex" || extraRefreshProvider(provider);
}

sdk::Value mergeRefreshed(std::string_view provider, const sdk::Value& previous, const std::string& responseBody,
                          std::chrono::system_clock::time_point now) {
    if (extraRefreshProvider(provider)) return mergeExtraRefreshed(provider, previous, responseBody, now);
    const bool codex = provider == "codex";
    const login::Credential fresh =
        codex ? login::codexCredential(responseBody, now) : login::claudeCredential(responseBody, now);
    const sdk::Value& f = fresh.content;
    sdk::Value merged = previous.isObject() ? previous : sdk::Value::object();
    merged.set("access_token", metaStr(f, "access_token"));
    if (const std::string r = metaStr(f, "refresh_token"); !r.empty()) merged.set("refresh_token", r);
    merged.set("email", metaStr(f, "email"));  // overwritten even when empty, as the original (oauth-executors.md §2.4)
    merged.set("expired", metaStr(f, "expired"));
    merged.set("last_refresh", metaStr(f, "last_refresh"));
    merged.set("type", std::string(provider));
    if (codex) {
        merged.set("id_token", metaStr(f, "id_token"));
        if (const std::string a = metaStr(f, "account_id"); !a.empty()) merged.set("account_id", a);
    }
    return merged;
}

RefreshOutcome refreshTokens(std::string_view provider, const sdk::Value& metadata,
                             const login::LoginSettings& settings, const std::optional<ProxySpec>& proxy,
                             std::chrono::milliseconds timeout, CancelToken* cancel) {
    const std::string refreshToken = storedRefreshToken(metadata);
    if (refreshToken.empty()) return {false, 401, "token refresh failed: the credential has no refresh_token", {}};
    const OutboundRequest req = refreshRequest(provider, refreshToken, settings, metadata);
    const auto deadline = Clock::now() + timeout;
    const int attempts = provider == "codex" ? 3 : 1;
    RefreshOutcome out;
    for (int i = 0; i < attempts; ++i) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        out = attempt(provider, metadata, req, proxy, left, timeout, deadline, cancel);
        if (out.ok || out.message.find("refresh_token_reused") != std::string::npos || i + 1 == attempts) break;
        const auto pause = std::chrono::seconds(i + 1);  // 1 s, then 2 s
        if (Clock::now() + pause >= deadline) break;
        if (cancel ? !cancel->sleepFor(pause) : (std::this_thread::sleep_for(pause), false)) break;
    }
    if (!out.ok && out.status == 0) {
        out.status = 503;
        out.message = timedOutMessage(timeout);
    }
    if (out.ok) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        discoverMissingProject(provider, out.metadata, settings, proxy, left, cancel);
    }
    return out;
}

}  // namespace cpa::oauth
