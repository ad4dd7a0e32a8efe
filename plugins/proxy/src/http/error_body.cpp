#include "http/error_body.hpp"

#include "routing/model_name.hpp"

#include <cpa/sdk/json.hpp>

#include <Poco/Net/HTTPResponse.h>

#include <cmath>

namespace cpa::proxy {

namespace {

bool isJson(const std::string& text) {
    const std::string t = trimAscii(text);
    if (t.empty()) return false;
    // Plain-text messages are the common case: no parse (and no exception) for them.
    if (std::string_view("{[\"-0123456789tfn").find(t.front()) == std::string_view::npos) return false;
    try {
        (void)sdk::parseJson(t);
        return true;
    } catch (...) {
        return false;
    }
}

std::string reasonPhrase(int status) {
    return Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
}

}  // namespace

ErrorReply genericError(int status, const std::string& textIn) {
    ErrorReply reply;
    reply.status = status <= 0 ? 500 : status;
    std::string text = textIn.empty() ? reasonPhrase(reply.status) : textIn;
    if (isJson(text)) {
        reply.body = text;
        return reply;
    }
    std::string type = "invalid_request_error", code;
    switch (reply.status) {
        case 401: type = "authentication_error", code = "invalid_api_key"; break;
        case 403: type = "permission_error", code = "insufficient_quota"; break;
        case 429: type = "rate_limit_error", code = "rate_limit_exceeded"; break;
        case 404: code = "model_not_found"; break;
        default:
            if (reply.status >= 500) type = "server_error", code = "internal_server_error";
    }
    sdk::Value err = sdk::Value::object({{"message", text}, {"type", type}});
    if (!code.empty()) err.set("code", code);
    reply.body = sdk::toJson(sdk::Value::object({{"error", err}}));
    return reply;
}

std::string goDuration(std::int64_t s) {
    if (s <= 0) return "0s";
    if (s < 60) return std::to_string(s) + "s";
    if (s < 3600) return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
    return std::to_string(s / 3600) + "h" + std::to_string((s % 3600) / 60) + "m" + std::to_string(s % 60) + "s";
}

ErrorReply pickErrorReply(const PickError& error, const std::vector<std::string>& providers,
                          const std::string& routeModel, TimePoint now, bool passthroughHeaders) {
    if (error.code == PickError::Code::ModelCooldown) {
        const double remaining = std::chrono::duration<double>(error.resetAt - now).count();
        const std::int64_t resetSeconds = remaining > 0 ? static_cast<std::int64_t>(std::ceil(remaining)) : 0;
        std::int64_t rounded = remaining > 0 ? std::llround(remaining) : 0;
        if (remaining > 0 && rounded == 0) rounded = 1;
        std::string message = "All credentials for model " + routeModel + " are cooling down";
        // Keys in alphabetical order, as the original marshals a map.
        sdk::Value body = sdk::Value::object({{"code", "model_cooldown"}});
        if (providers.size() == 1) message += " via provider " + providers.front();
        body.set("message", message);
        body.set("model", routeModel);
        if (providers.size() == 1) body.set("provider", providers.front());
        body.set("reset_seconds", resetSeconds);
        body.set("reset_time", goDuration(rounded));
        ErrorReply reply;
        reply.status = 429;
        reply.body = sdk::toJson(sdk::Value::object({{"error", body}}));
        if (passthroughHeaders) reply.headers.emplace_back("Retry-After", std::to_string(resetSeconds));
        return reply;
    }
    const std::string code =
        error.code == PickError::Code::AuthNotFound ? "auth_not_found" : "auth_unavailable";
    std::string joined;
    bool claude = false;
    for (const std::string& p : providers) {
        joined += (joined.empty() ? "" : ",") + p;
        claude = claude || p == "claude";
    }
    std::string message = code + ": no auth available (providers=" + joined + ", model=" + routeModel + ")";
    if (claude) message += "; check Claude auth/key session and cooldown state via /v0/management/auth-files";
    return genericError(503, message);
}

std::string invalidRequestBody(const std::string& message) {
    return sdk::toJson(sdk::Value::object(
        {{"error", sdk::Value::object({{"message", message}, {"type", "invalid_request_error"}})}}));
}

}  // namespace cpa::proxy
