// Claude error bodies and token counts, both directions.
#include "translate/claude_internal.hpp"
#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::claude {

using cpa::sdk::Value;

namespace {

struct KindType {
    std::string_view kind, type;
    int status;
};
// docs/spec/translation.md §4 (recommended native error shapes).
constexpr KindType kKinds[] = {
    {"invalid_request", "invalid_request_error", 400}, {"authentication", "authentication_error", 401},
    {"permission", "permission_error", 403},           {"not_found", "not_found_error", 404},
    {"rate_limit", "rate_limit_error", 429},           {"overloaded", "overloaded_error", 529},
    {"server", "api_error", 500},
};

}  // namespace

std::string kindFromErrorType(std::string_view type) {
    if (type == "request_too_large") return "invalid_request";
    for (const auto& k : kKinds)
        if (k.type == type) return std::string(k.kind);
    return type.empty() ? std::string() : "server";
}

std::string errorTypeForKind(std::string_view kind) {
    for (const auto& k : kKinds)
        if (k.kind == kind) return std::string(k.type);
    return "api_error";
}

int statusForKind(std::string_view kind) {
    for (const auto& k : kKinds)
        if (k.kind == kind) return k.status;
    return 0;
}

std::string encodeError(const ErrorInfo& error) {
    std::string message = error.message;
    if (message.empty()) message = "upstream request failed with status " + std::to_string(error.status);
    const Value body = Value::object(
        {{"type", "error"},
         {"error", Value::object({{"type", errorTypeForKind(errorKindOf(error))}, {"message", message}})}});
    return cpa::sdk::toJson(body);
}

ErrorInfo decodeError(int status, std::string_view body) {
    ErrorInfo info{status, {}, {}};
    Value v;
    try {
        v = cpa::sdk::parseJson(body);
    } catch (const std::exception&) {
        return info;  // not JSON: the status alone
    }
    const Value* err = member(v, "error");
    if (!err || !err->isObject()) return info;
    info.message = stringMember(*err, "message");
    info.kind = kindFromErrorType(stringMember(*err, "type"));
    return info;
}

std::string encodeTokenCount(std::int64_t tokens) {
    return cpa::sdk::toJson(Value::object({{"input_tokens", tokens}}));
}

std::int64_t decodeTokenCount(const Value& body) { return intMember(body, "input_tokens").value_or(-1); }

}  // namespace cpa::proxy::translate::claude
