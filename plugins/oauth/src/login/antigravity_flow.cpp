// Antigravity (Google): authorization code without PKCE, user info, a
// best-effort project id from Code Assist (oauth.md §4.4).
#include "login/google_api.hpp"
#include "login/oauth_text.hpp"
#include "login/provider_flows.hpp"

#include <cpa/sdk/text.hpp>

namespace cpa::oauth::login {

using cpa::sdk::Value;

namespace {

constexpr const char* kUserAgent = "antigravity/1.11.5 linux/amd64";
constexpr const char* kApiClient = "gl-node/22.21.1";

Value antigravityMetadata() {
    return Value::object({{"ide_type", "ANTIGRAVITY"}, {"ide_version", "1.11.5"}, {"ide_name", "antigravity"}});
}

/// Failures are only logged: the credential is saved without a project.
std::string fetchProjectId(LoginEngine& engine, const AuthCodeProvider& p, const std::string& token) {
    const std::vector<std::pair<std::string, std::string>> extra = {{"User-Agent", kUserAgent},
                                                                    {"X-Goog-Api-Client", kApiClient}};
    try {
        const Value load = postJson(engine, p.codeAssistUrl + "/v1internal:loadCodeAssist", token,
                                    Value::object({{"metadata", antigravityMetadata()}}), extra);
        std::string project = companionProject(load);
        if (!project.empty()) return project;
        const Value onboard = Value::object({{"tierId", defaultTier(load)}, {"metadata", antigravityMetadata()}});
        for (int attempt = 1; attempt <= 5; ++attempt) {
            const Value resp = postJson(engine, p.codeAssistUrl + "/v1internal:onboardUser", token, onboard, extra);
            if (const Value* done = resp.find("done"); done != nullptr && done->boolOr(false)) {
                const Value* r = resp.find("response");
                return r == nullptr ? std::string{} : companionProject(*r);
            }
            if (attempt < 5 && !engine.tasks().sleepFor(p.onboardPollInterval)) break;
        }
    } catch (const std::exception& e) {
        engine.log().warning(std::string("antigravity login: project id unavailable: ") + e.what());
    }
    return {};
}

}  // namespace

std::string antigravityAuthUrl(const AuthCodeProvider& p, const std::string& state) {
    return withQuery(p.authorizeUrl,
                     formEncode({{"access_type", "offline"},
                                 {"client_id", p.clientId},
                                 {"prompt", "consent"},
                                 {"redirect_uri", p.redirectUri},
                                 {"response_type", "code"},
                                 {"scope", "https://www.googleapis.com/auth/cloud-platform "
                                           "https://www.googleapis.com/auth/userinfo.email "
                                           "https://www.googleapis.com/auth/userinfo.profile "
                                           "https://www.googleapis.com/auth/cclog "
                                           "https://www.googleapis.com/auth/experimentsandconfigs"},
                                 {"state", state}}));
}

void runAntigravityFlow(LoginEngine& engine, const AuthCodeProvider& p, const std::string& state, Millis timeout) {
    const CallbackRules rules{"Authentication failed", false, true, "Authentication failed: state mismatch",
                              "Authentication failed: code not found", "OAuth flow timed out"};
    auto code = awaitCode(engine, state, timeout, rules);
    if (!code) return;

    const auto exchanged = exchangeGoogleCode(engine, p, state, *code);
    if (!exchanged) return;
    const GoogleToken& token = *exchanged;

    std::string email;
    try {
        FetchRequest req;
        req.url = p.userInfoUrl;
        req.headers = {{"Authorization", "Bearer " + token.accessToken}};
        const FetchResult res = engine.fetch(req);
        if (res.status >= 200 && res.status < 300) email = sdk::trimAscii(stringMember(parseObject(res.body), "email"));
    } catch (const std::exception& e) {
        engine.log().warning("oauth login " + state + ": user info failed: " + e.what());
    }
    if (email.empty()) return engine.fail(state, "Failed to fetch user info");

    const std::string project = fetchProjectId(engine, p, token.accessToken);
    const Credential cred = antigravityCredential(token, email, project, std::chrono::system_clock::now());
    if (engine.save(state, cred, "Failed to save token to file")) engine.succeed(state);
}

}  // namespace cpa::oauth::login
