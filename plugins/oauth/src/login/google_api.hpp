#pragma once
// Authenticated calls to Google's Code Assist, Resource Manager and Service
// Usage APIs used by the Gemini CLI and Antigravity logins (oauth.md §4.3-4.4).
#include "login/login_engine.hpp"
#include "login/login_settings.hpp"
#include "login/token_results.hpp"

#include <cpa/sdk/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cpa::oauth::login {

/// POST `body` as JSON with a bearer token; returns the parsed object.
/// Throws std::runtime_error("api request failed with status N: ...") etc.
cpa::sdk::Value postJson(LoginEngine& engine, const std::string& url, const std::string& accessToken,
                         const cpa::sdk::Value& body, const std::vector<std::pair<std::string, std::string>>& extra);

/// `cloudaicompanionProject` as a string or `{id}`; "" when absent.
std::string companionProject(const cpa::sdk::Value& object);
/// The `id` of the default entry of `allowedTiers`, else "legacy-tier".
std::string defaultTier(const cpa::sdk::Value& loadResponse);

/// Exchanges an authorization code at Google's token endpoint. On failure the
/// session `state` is failed ("Failed to exchange token") and nullopt returned.
std::optional<GoogleToken> exchangeGoogleCode(LoginEngine& engine, const AuthCodeProvider& p, const std::string& state,
                                              const std::string& code);

std::vector<std::string> listGoogleProjects(LoginEngine& engine, const std::string& url,
                                            const std::string& accessToken);

}  // namespace cpa::oauth::login
