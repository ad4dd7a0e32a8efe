// Antigravity (Google): authorization code without PKCE, user info, a
// best-effort project id from Code Assist (oauth.md §4.4).
#include "login/antigravity_project.hpp"
#include "login/google_api.hpp"
#include "login/oauth_text.hpp"
#include "login/provider_flows.hpp"

#include <cpa/sdk/text.hpp>

namespace cpa::oauth::login {

using cpa::sdk::Value;

namespace {

/// Failures are only logged: the credential is saved without a project.
std::string fetchProjectId(LoginEngine& engine, const AuthCodeProvider& p, const std::string& token) {
    try {
        return discoverAntigravityProject(
            p.codeAssistUrl,
            [&](const std::string& url, const Value& body) {
                return postJson(engine, url, token, body, antigravityCodeAssistHeaders());
            },
            [&] { return engine.tasks().sleepFor(p.onboardPollInterval); });
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
