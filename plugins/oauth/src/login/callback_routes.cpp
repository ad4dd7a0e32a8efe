#include "login/callback_routes.hpp"

#include "login/oauth_text.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace cpa::oauth::login {

using cpa::sdk::Access;
using cpa::sdk::Method;
using cpa::sdk::Request;
using cpa::sdk::Response;
using cpa::sdk::Value;

namespace {

std::string page(const std::string& title, const std::string& text) {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>" +
           "<h1>" + title + "!</h1><p>" + text + "</p>" +
           "<script>setTimeout(function(){window.close();},5000);</script></body></html>\n";
}

void providerCallback(LoginEngine& engine, const std::string& provider, Request& req, Response& res) {
    const std::string state = sdk::trimAscii(req.query("state").value_or(""));
    CallbackPayload payload;
    payload.code = sdk::trimAscii(req.query("code").value_or(""));
    payload.state = state;
    payload.error = sdk::trimAscii(req.query("error").value_or(""));
    if (payload.error.empty()) payload.error = sdk::trimAscii(req.query("error_description").value_or(""));
    const bool delivered = !state.empty() && isValidState(state) &&
                           engine.sessions().deliver(state, provider, payload) == DeliverResult::Delivered;
    if (delivered) {
        res.text(200, page("Authentication successful", "You can close this window."), "text/html; charset=utf-8");
    } else {
        // The original claims success for any request; an unknown or used
        // state gets an honest page instead (docs/compat/oauth-login.md).
        res.text(400,
                 page("Authentication failed",
                      "This login link is unknown, expired or already used. Start the login again."),
                 "text/html; charset=utf-8");
    }
}

Value statusError(const std::string& message) { return Value::object({{"status", "error"}, {"error", message}}); }

[[noreturn]] void reject(int status, const std::string& message) {
    throw cpa::sdk::HttpError(status, statusError(message), message);
}

/// A string member of the bound body; a non-string value makes it invalid.
std::string bodyString(const Value& body, std::string_view key) {
    const Value* v = cpa::sdk::boundMember(body, key);
    if (v == nullptr) return {};
    if (!v->isString()) reject(400, "invalid body");
    return v->asString();
}

void oauthCallback(LoginEngine& engine, Request& req, Response& res) {
    const auto body = cpa::sdk::boundObject(req.body());
    if (!body) reject(400, "invalid body");
    const std::string provider = normalizeCallbackProvider(bodyString(*body, "provider"));
    const std::string redirectUrl = sdk::trimAscii(bodyString(*body, "redirect_url"));
    std::string state = sdk::trimAscii(bodyString(*body, "state"));
    std::string code = sdk::trimAscii(bodyString(*body, "code"));
    std::string error = sdk::trimAscii(bodyString(*body, "error"));
    if (provider.empty()) reject(400, "unsupported provider");
    if (!redirectUrl.empty()) {
        QueryPairs query;
        try {
            query = parseQuery(Poco::URI(redirectUrl).getRawQuery());
        } catch (const Poco::Exception&) {
            reject(400, "invalid redirect_url");
        }
        if (state.empty()) state = sdk::trimAscii(firstValue(query, "state"));
        if (code.empty()) code = sdk::trimAscii(firstValue(query, "code"));
        if (error.empty()) error = sdk::trimAscii(firstValue(query, "error"));
        if (error.empty()) error = sdk::trimAscii(firstValue(query, "error_description"));
    }
    if (state.empty()) reject(400, "state is required");
    if (!isValidState(state)) reject(400, "invalid state");
    if (code.empty() && error.empty()) reject(400, "code or error is required");
    const auto session = engine.sessions().get(state);
    if (!session || session->status == SessionStatus::Completed) reject(404, "unknown or expired state");
    if (session->status == SessionStatus::Error) reject(409, "oauth flow is not pending");
    if (session->provider != provider) reject(400, "provider does not match state");
    switch (engine.sessions().deliver(state, provider, CallbackPayload{code, state, error})) {
        case DeliverResult::Delivered:
            return res.json(200, Value::object({{"status", "ok"}}));
        case DeliverResult::Unknown:
            reject(404, "unknown or expired state");
        case DeliverResult::ProviderMismatch:
            reject(400, "provider does not match state");
        case DeliverResult::NotPending:
            break;
    }
    reject(409, "oauth flow is not pending");
}

void authStatus(LoginEngine& engine, Request& req, Response& res) {
    const std::string state = sdk::trimAscii(req.query("state").value_or(""));
    if (state.empty()) return res.json(200, Value::object({{"status", "ok"}}));
    if (!isValidState(state)) return res.json(400, statusError("invalid state"));
    const auto session = engine.sessions().get(state);
    if (!session) return res.json(200, statusError("unknown or expired state"));  // D9
    switch (session->status) {
        case SessionStatus::Completed:
            return res.json(200, Value::object({{"status", "ok"}}));
        case SessionStatus::Error:
            return res.json(200, statusError(session->error));
        case SessionStatus::Pending:
            break;
    }
    res.json(200, Value::object({{"status", "wait"}}));
}

}  // namespace

void registerCallbackRoutes(cpa::sdk::RouteRegistry& routes, const std::shared_ptr<LoginEngine>& engine) {
    const std::pair<const char*, const char*> callbacks[] = {{"/anthropic/callback", "anthropic"},
                                                             {"/codex/callback", "codex"},
                                                             {"/google/callback", "gemini"},
                                                             {"/antigravity/callback", "antigravity"}};
    for (const auto& [path, provider] : callbacks) {
        routes.route(Method::Get, path, Access::Public,
                     [engine, provider = std::string(provider)](Request& req, Response& res) {
                         providerCallback(*engine, provider, req, res);
                     });
    }
    const std::string base(cpa::sdk::kManagementBase);
    routes.route(Method::Post, base + "/oauth-callback", Access::Management,
                 [engine](Request& req, Response& res) { oauthCallback(*engine, req, res); });
    routes.route(Method::Get, base + "/get-auth-status", Access::Management,
                 [engine](Request& req, Response& res) { authStatus(*engine, req, res); });
}

}  // namespace cpa::oauth::login
