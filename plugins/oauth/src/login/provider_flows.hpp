#pragma once
// Per-provider pieces of the login flows (oauth.md §4): the authorization
// URL (pure) and the background part that runs after the auth-url response.
#include "login/login_engine.hpp"
#include "login/pkce.hpp"

#include <string>

namespace cpa::oauth::login {

std::string anthropicAuthUrl(const AuthCodeProvider& p, const std::string& state, const PkceCodes& pkce);
std::string codexAuthUrl(const AuthCodeProvider& p, const std::string& state, const PkceCodes& pkce);
std::string geminiAuthUrl(const AuthCodeProvider& p, const std::string& state);
std::string antigravityAuthUrl(const AuthCodeProvider& p, const std::string& state);

void runAnthropicFlow(LoginEngine& engine, const AuthCodeProvider& p, const std::string& state, const PkceCodes& pkce,
                      Millis timeout);
void runCodexFlow(LoginEngine& engine, const AuthCodeProvider& p, const std::string& state, const PkceCodes& pkce,
                  Millis timeout);
void runGeminiFlow(LoginEngine& engine, const LoginSettings& s, const std::string& state,
                   const std::string& projectId);
void runAntigravityFlow(LoginEngine& engine, const AuthCodeProvider& p, const std::string& state, Millis timeout);

struct KimiDevice {
    std::string deviceId;
    std::string deviceCode;
    std::string userCode;
    std::string verificationUrl;  ///< verification_uri_complete, else verification_uri
    std::int64_t expiresIn{};
    std::int64_t interval{};
};
/// Throws std::runtime_error when the device authorization request fails.
KimiDevice requestKimiDevice(LoginEngine& engine, const KimiProvider& p);
void runKimiFlow(LoginEngine& engine, const KimiProvider& p, const std::string& state, const KimiDevice& device);

/// "?" or "&" join of a base URL and an encoded query.
std::string withQuery(const std::string& base, const std::string& query);

}  // namespace cpa::oauth::login
