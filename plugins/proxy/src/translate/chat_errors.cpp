// Errors in OpenAI's shape {"error":{"message","type","param","code"}}, both
// directions (docs/spec/translation.md §4, recommended native shapes).
#include "translate/chat_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::chat {

using cpa::sdk::Value;

namespace {

std::string errorType(const std::string& kind) {
    if (kind == "invalid_request") return "invalid_request_error";
    if (kind == "authentication") return "authentication_error";
    if (kind == "permission") return "permission_error";
    if (kind == "not_found") return "not_found_error";
    if (kind == "rate_limit") return "rate_limit_error";
    return "server_error";  // server, overloaded
}

int statusForKind(const std::string& kind) {
    if (kind == "invalid_request") return 400;
    if (kind == "authentication") return 401;
    if (kind == "permission") return 403;
    if (kind == "not_found") return 404;
    if (kind == "rate_limit") return 429;
    if (kind == "overloaded") return 503;
    if (kind == "server") return 500;
    return 0;
}

}  // namespace

std::string encodeError(const ErrorInfo& e) {
    const Value body = Value::object({{"error", Value::object({{"message", e.message},
                                                               {"type", errorType(errorKindOf(e))},
                                                               {"param", Value()},
                                                               {"code", Value()}})}});
    return cpa::sdk::toJson(body);
}

std::string kindFromErrorType(std::string_view type) {
    const std::string t = lowerAscii(type);
    if (t == "invalid_request_error" || t == "invalid_request") return "invalid_request";
    if (t == "authentication_error" || t == "invalid_api_key") return "authentication";
    if (t == "permission_error" || t == "permission_denied") return "permission";
    if (t == "not_found_error" || t == "not_found") return "not_found";
    if (t == "rate_limit_error" || t == "rate_limit_exceeded" || t == "insufficient_quota") return "rate_limit";
    if (t == "overloaded_error" || t == "overloaded") return "overloaded";
    if (t == "server_error" || t == "api_error" || t == "internal_error") return "server";
    return {};
}

int statusFromErrorObject(const Value& error) {
    if (const auto code = intMember(error, "code"); code && *code >= 100 && *code <= 599) return static_cast<int>(*code);
    if (const auto status = intMember(error, "status"); status && *status >= 100 && *status <= 599)
        return static_cast<int>(*status);
    // `code` is the finer word when present (401 comes as type invalid_request_error, code invalid_api_key).
    std::string kind = kindFromErrorType(stringMember(error, "code"));
    if (kind.empty()) kind = kindFromErrorType(stringMember(error, "type"));
    return statusForKind(kind);
}

ErrorInfo decodeError(int status, std::string_view body) {
    ErrorInfo info{status, {}, {}};
    Value v;
    try {
        v = cpa::sdk::parseJson(body);
    } catch (const std::exception&) {
        return info;  // not this format's shape: the status alone
    }
    if (v.isArray() && v.size() > 0) v = Value(v.asArray()[0]);  // some servers wrap it in a list
    const Value* err = member(v, "error");
    if (!err) return info;
    if (err->isString()) {
        info.message = err->asString();
        return info;
    }
    info.message = stringMember(*err, "message");
    info.kind = kindFromErrorType(stringMember(*err, "code"));
    if (info.kind.empty()) info.kind = kindFromErrorType(stringMember(*err, "type"));
    return info;
}

}  // namespace cpa::proxy::translate::chat
