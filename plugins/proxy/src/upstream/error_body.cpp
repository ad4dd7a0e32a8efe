#include "upstream/error_body.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

#include <Poco/Net/HTTPResponse.h>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

bool isJson(const std::string& text, Value* out = nullptr) {
    // Plain-text messages are the common case: no parse (and no exception) for them.
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos ||
        std::string_view("{[\"-0123456789tfn").find(text[first]) == std::string_view::npos)
        return false;
    try {
        Value v = cpa::sdk::parseJson(text);
        if (out) *out = std::move(v);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::string responsesCode(int status) {
    switch (status) {
        case 401: return "invalid_api_key";
        case 403: return "insufficient_quota";
        case 429: return "rate_limit_exceeded";
        case 404: return "model_not_found";
        case 408: return "request_timeout";
        default: break;
    }
    if (status >= 500) return "internal_server_error";
    if (status >= 400) return "invalid_request_error";
    return "unknown_error";
}

}  // namespace

std::string genericErrorBody(int status, const std::string& text) {
    std::string message = text;
    if (message.empty())
        message = Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    const std::string trimmed = sdk::trimAscii(message);
    if (!trimmed.empty() && isJson(trimmed)) return trimmed;
    Value err = Value::object({{"message", message}});
    if (status == 401) {
        err.set("type", "authentication_error");
        err.set("code", "invalid_api_key");
    } else if (status == 403) {
        err.set("type", "permission_error");
        err.set("code", "insufficient_quota");
    } else if (status == 429) {
        err.set("type", "rate_limit_error");
        err.set("code", "rate_limit_exceeded");
    } else if (status == 404) {
        err.set("type", "invalid_request_error");
        err.set("code", "model_not_found");
    } else if (status >= 500) {
        err.set("type", "server_error");
        err.set("code", "internal_server_error");
    } else {
        err.set("type", "invalid_request_error");
    }
    return cpa::sdk::toJson(Value::object({{"error", err}}));
}

std::string terminalErrorEvent(ClientFormat format, bool geminiAltMode, int status, const std::string& text) {
    if (status == 0) status = 500;
    switch (format) {
        case ClientFormat::Claude:
        case ClientFormat::ClaudeCountTokens: {
            Value e = Value::object({{"type", "error"},
                                     {"error", Value::object({{"type", "api_error"}, {"message", text}})}});
            return "event: error\ndata: " + cpa::sdk::toJson(e) + "\n\n";
        }
        case ClientFormat::Gemini:
            if (geminiAltMode) return genericErrorBody(status, text);
            return "event: error\ndata: " + genericErrorBody(status, text) + "\n\n";
        case ClientFormat::Responses:
        case ClientFormat::ResponsesCompact: {
            std::string code = responsesCode(status);
            std::string message = text;
            Value seq = 0;
            Value parsed;
            if (isJson(sdk::trimAscii(text), &parsed) && parsed.isObject()) {
                const Value* source = nullptr;
                if (const Value* t = parsed.find("type"); t && t->isString() && t->asString() == "error")
                    source = &parsed;
                else if (const Value* e = parsed.find("error"); e && e->isObject())
                    source = e;
                if (source) {
                    if (const Value* m = source->find("message"); m && m->isString()) message = m->asString();
                    if (const Value* c = source->find("code"); c && c->isString()) code = c->asString();
                    if (const Value* s = parsed.find("sequence_number"); s && s->isNumber()) seq = *s;
                }
            }
            Value e = Value::object(
                {{"type", "error"}, {"code", code}, {"message", message}, {"sequence_number", seq}});
            return "\nevent: error\ndata: " + cpa::sdk::toJson(e) + "\n\n";
        }
        case ClientFormat::OpenAIChat:
        case ClientFormat::OpenAICompletions:
            break;
    }
    return "data: " + genericErrorBody(status, text) + "\n\n";
}

}  // namespace cpa::proxy::upstream
