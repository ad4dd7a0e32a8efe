#include "login/login_settings.hpp"

#include <algorithm>

namespace cpa::oauth::login {

namespace {

constexpr const char* kRoot = "oauth-login.";

std::string str(const cpa::sdk::ConfigSnapshot& s, const std::string& key, const char* fallback) {
    std::string v = s.getString(kRoot + key, fallback);
    return v.empty() ? std::string(fallback) : v;
}

Millis ms(const cpa::sdk::ConfigSnapshot& s, const std::string& key, std::int64_t fallback) {
    return Millis(std::max<std::int64_t>(0, s.getInt(kRoot + key, fallback)));
}

int port(const cpa::sdk::ConfigSnapshot& s, const std::string& key, int fallback) {
    const auto v = s.getInt(kRoot + key, fallback);
    return v > 0 && v < 65536 ? static_cast<int>(v) : fallback;
}

}  // namespace

LoginSettings readLoginSettings(const cpa::sdk::ConfigSnapshot& s) {
    LoginSettings out;
    out.sessionTtl = ms(s, "session-ttl-ms", 10 * 60 * 1000);
    out.completedTtl = ms(s, "completed-ttl-ms", 60 * 1000);
    out.callbackTimeout = ms(s, "callback-timeout-ms", 5 * 60 * 1000);
    out.httpTimeout = ms(s, "http-timeout-ms", 30 * 1000);
    out.refreshTimeout = ms(s, "refresh-timeout-ms", 30 * 1000);
    if (out.refreshTimeout.count() == 0) out.refreshTimeout = Millis(30 * 1000);
    // An absent port is the server's default 8317 (A1); 0 (ephemeral) stays unknown.
    out.serverPort = static_cast<int>(s.find("port") ? s.getInt("port", 0) : 8317);
    out.serverTls = s.getBool("tls.enable", false);
    out.proxyUrl = s.getString("proxy-url", "");

    auto& a = out.anthropic;
    a.authorizeUrl = str(s, "anthropic.authorize-url", "https://claude.ai/oauth/authorize");
    a.tokenUrl = str(s, "anthropic.token-url", "https://api.anthropic.com/v1/oauth/token");
    a.clientId = str(s, "anthropic.client-id", "9d1c250a-e61b-44d9-88ed-5944d1962f5e");
    a.redirectUri = str(s, "anthropic.redirect-uri", "http://localhost:54545/callback");
    a.callbackPort = port(s, "anthropic.callback-port", 54545);

    auto& c = out.codex;
    c.authorizeUrl = str(s, "codex.authorize-url", "https://auth.openai.com/oauth/authorize");
    c.tokenUrl = str(s, "codex.token-url", "https://auth.openai.com/oauth/token");
    c.clientId = str(s, "codex.client-id", "app_EMoamEEZ73f0CkXaXp7hrann");
    c.redirectUri = str(s, "codex.redirect-uri", "http://localhost:1455/auth/callback");
    c.callbackPort = port(s, "codex.callback-port", 1455);

    auto& g = out.gemini;
    g.authorizeUrl = str(s, "gemini-cli.authorize-url", "https://accounts.google.com/o/oauth2/auth");
    g.tokenUrl = str(s, "gemini-cli.token-url", "https://oauth2.googleapis.com/token");
    g.userInfoUrl = str(s, "gemini-cli.userinfo-url", "https://www.googleapis.com/oauth2/v1/userinfo?alt=json");
    g.clientId = str(s, "gemini-cli.client-id",
                     "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com");
    g.clientSecret = str(s, "gemini-cli.client-secret", "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");
    g.redirectUri = str(s, "gemini-cli.redirect-uri", "http://localhost:8085/oauth2callback");
    g.callbackPort = port(s, "gemini-cli.callback-port", 8085);
    g.codeAssistUrl = str(s, "gemini-cli.code-assist-url", "https://cloudcode-pa.googleapis.com");
    g.onboardPollInterval = ms(s, "gemini-cli.onboard-poll-interval-ms", 5000);
    out.geminiProjectsUrl =
        str(s, "gemini-cli.projects-url", "https://cloudresourcemanager.googleapis.com/v1/projects");
    out.geminiServiceUsageUrl = str(s, "gemini-cli.service-usage-url", "https://serviceusage.googleapis.com");

    auto& ag = out.antigravity;
    ag.authorizeUrl = str(s, "antigravity.authorize-url", "https://accounts.google.com/o/oauth2/v2/auth");
    ag.tokenUrl = str(s, "antigravity.token-url", "https://oauth2.googleapis.com/token");
    ag.userInfoUrl = str(s, "antigravity.userinfo-url", "https://www.googleapis.com/oauth2/v2/userinfo?alt=json");
    ag.clientId = str(s, "antigravity.client-id",
                      "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com");
    ag.clientSecret = str(s, "antigravity.client-secret", "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");
    ag.redirectUri = str(s, "antigravity.redirect-uri", "http://localhost:51121/oauth-callback");
    ag.callbackPort = port(s, "antigravity.callback-port", 51121);
    ag.codeAssistUrl = str(s, "antigravity.code-assist-url", "https://cloudcode-pa.googleapis.com");
    ag.onboardPollInterval = ms(s, "antigravity.onboard-poll-interval-ms", 2000);

    auto& k = out.kimi;
    k.deviceAuthorizationUrl =
        str(s, "kimi.device-authorization-url", "https://auth.kimi.com/api/oauth/device_authorization");
    k.tokenUrl = str(s, "kimi.token-url", "https://auth.kimi.com/api/oauth/token");
    k.clientId = str(s, "kimi.client-id", "17e5f671-d194-4dfb-9706-5516cb48c098");
    k.minPollInterval = ms(s, "kimi.min-poll-interval-ms", 5000);
    k.maxPoll = ms(s, "kimi.max-poll-ms", 15 * 60 * 1000);
    return out;
}

}  // namespace cpa::oauth::login
