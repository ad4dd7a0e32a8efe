#pragma once
// Every provider endpoint, client id, callback port and timing of the login
// flows, read from the config snapshot at the time of use under the top-level
// key `oauth-login` (docs/compat/oauth-login.md); defaults are the original's.
#include <cpa/sdk/config.hpp>

#include <chrono>
#include <string>

namespace cpa::oauth::login {

using Millis = std::chrono::milliseconds;

struct AuthCodeProvider {
    std::string authorizeUrl;
    std::string tokenUrl;
    std::string userInfoUrl;   ///< google providers only
    std::string clientId;
    std::string clientSecret;  ///< google providers only
    std::string redirectUri;
    int callbackPort{};        ///< local forwarder port for web-UI logins
    std::string codeAssistUrl; ///< google providers: base of v1internal:*
    Millis onboardPollInterval{};
};

struct KimiProvider {
    std::string deviceAuthorizationUrl;
    std::string tokenUrl;
    std::string clientId;
    Millis minPollInterval{};
    Millis maxPoll{};
};

struct LoginSettings {
    Millis sessionTtl{};
    Millis completedTtl{};
    Millis callbackTimeout{};
    Millis httpTimeout{};
    /// `refresh-timeout-ms`: one token refresh at a token-url, all attempts
    /// included (default 30 s; the original sets none for Claude and Codex).
    Millis refreshTimeout{};
    int serverPort{};   ///< config `port` (forwarder target)
    bool serverTls{};   ///< config `tls.enable`
    std::string proxyUrl;
    AuthCodeProvider anthropic;
    AuthCodeProvider codex;
    AuthCodeProvider gemini;
    std::string geminiProjectsUrl;
    std::string geminiServiceUsageUrl;
    AuthCodeProvider antigravity;
    KimiProvider kimi;
};

LoginSettings readLoginSettings(const cpa::sdk::ConfigSnapshot& snapshot);

}  // namespace cpa::oauth::login
