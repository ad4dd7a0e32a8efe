// Anthropic (Claude) and Codex (OpenAI): authorization code + PKCE S256.
#include "login/oauth_text.hpp"
#include "login/provider_flows.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::oauth::login {

using cpa::sdk::Value;

std::string withQuery(const std::string& base, const std::string& query) {
    return base + (base.find('?') == std::string::npos ? "?" : "&") + query;
}

std::string anthropicAuthUrl(const AuthCodeProvider& p, const std::string& state, const PkceCodes& pkce) {
    return withQuery(p.authorizeUrl,
                     formEncode({{"client_id", p.clientId},
                                 {"code", "true"},
                                 {"code_challenge", pkce.challenge},
                                 {"code_challenge_method", "S256"},
                                 {"redirect_uri", p.redirectUri},
                                 {"response_type", "code"},
                                 {"scope", "user:profile user:inference user:sessions:claude_code user:mcp_servers "
                                           "user:file_upload"},
                                 {"state", state}}));
}

std::string codexAuthUrl(const AuthCodeProvider& p, const std::string& state, const PkceCodes& pkce) {
    return withQuery(p.authorizeUrl, formEncode({{"client_id", p.clientId},
                                                 {"code_challenge", pkce.challenge},
                                                 {"code_challenge_method", "S256"},
                                                 {"codex_cli_simplified_flow", "true"},
                                                 {"id_token_add_organizations", "true"},
                                                 {"prompt", "login"},
                                                 {"redirect_uri", p.redirectUri},
                                                 {"response_type", "code"},
                                                 {"scope", "openid email profile offline_access"},
                                                 {"state", state}}));
}

namespace {

constexpr const char* kExchangeFailed = "Failed to exchange authorization code for tokens";
constexpr const char* kSaveFailed = "Failed to save authentication tokens";

/// POSTs to a token endpoint; the body on 200, nullopt (logged) otherwise.
std::optional<std::string> postToken(LoginEngine& engine, const std::string& state, const std::string& url,
                                     const std::string& contentType, const std::string& body) {
    try {
        FetchRequest req;
        req.method = "POST";
        req.url = url;
        req.headers = {{"Content-Type", contentType}, {"Accept", "application/json"}};
        req.body = body;
        FetchResult res = engine.fetch(req);
        if (res.status == 200) return std::move(res.body);
        engine.log().warning("oauth login " + state + ": token endpoint answered " + std::to_string(res.status));
    } catch (const std::exception& e) {
        engine.log().warning("oauth login " + state + ": token request failed: " + e.what());
    }
    return std::nullopt;
}

}  // namespace

void runAnthropicFlow(LoginEngine& engine, const AuthCodeProvider& p, const std::string& state, const PkceCodes& pkce,
                      Millis timeout) {
    const CallbackRules rules{"Bad request", true, false, "State code error", "",
                              "Timeout waiting for OAuth callback"};
    auto rawCode = awaitCode(engine, state, timeout, rules);
    if (!rawCode) return;
    // Claude may append "#<state>" to the code.
    const std::string code = rawCode->substr(0, rawCode->find('#'));
    const Value body = Value::object({{"code", code},
                                      {"state", state},
                                      {"grant_type", "authorization_code"},
                                      {"client_id", p.clientId},
                                      {"redirect_uri", p.redirectUri},
                                      {"code_verifier", pkce.verifier}});
    auto tokens = postToken(engine, state, p.tokenUrl, "application/json", cpa::sdk::toJson(body));
    if (!tokens) return engine.fail(state, kExchangeFailed);
    Credential cred;
    try {
        cred = claudeCredential(*tokens, std::chrono::system_clock::now());
    } catch (const std::exception& e) {
        engine.log().warning("oauth login " + state + ": " + e.what());
        return engine.fail(state, kExchangeFailed);
    }
    if (engine.save(state, cred, kSaveFailed)) engine.succeed(state);
}

void runCodexFlow(LoginEngine& engine, const AuthCodeProvider& p, const std::string& state, const PkceCodes& pkce,
                  Millis timeout) {
    const CallbackRules rules{"Bad Request", true, false, "State code error", "",
                              "Timeout waiting for OAuth callback"};
    auto code = awaitCode(engine, state, timeout, rules);
    if (!code) return;
    const std::string form = formEncode({{"grant_type", "authorization_code"},
                                         {"client_id", p.clientId},
                                         {"code", *code},
                                         {"redirect_uri", p.redirectUri},
                                         {"code_verifier", pkce.verifier}});
    auto tokens = postToken(engine, state, p.tokenUrl, "application/x-www-form-urlencoded", form);
    if (!tokens) return engine.fail(state, kExchangeFailed);
    Credential cred;
    try {
        cred = codexCredential(*tokens, std::chrono::system_clock::now());
    } catch (const std::exception& e) {
        engine.log().warning("oauth login " + state + ": " + e.what());
        return engine.fail(state, kExchangeFailed);
    }
    if (engine.save(state, cred, kSaveFailed)) engine.succeed(state);
}

}  // namespace cpa::oauth::login
