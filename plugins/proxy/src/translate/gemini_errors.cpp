// Google's error body {"error":{"code","message","status"}} both ways, and
// the countTokens answer (translation.md §1.5, §4).
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::gemini {

using cpa::sdk::Value;

namespace {

std::string statusForKind(const std::string& kind) {
    if (kind == "invalid_request") return "INVALID_ARGUMENT";
    if (kind == "authentication") return "UNAUTHENTICATED";
    if (kind == "permission") return "PERMISSION_DENIED";
    if (kind == "not_found") return "NOT_FOUND";
    if (kind == "rate_limit") return "RESOURCE_EXHAUSTED";
    if (kind == "overloaded") return "UNAVAILABLE";
    return "INTERNAL";
}

/// Google's canonical status names → ErrorInfo kinds ("" when unknown).
std::string kindForStatus(std::string_view status) {
    if (status == "INVALID_ARGUMENT" || status == "FAILED_PRECONDITION" || status == "OUT_OF_RANGE")
        return "invalid_request";
    if (status == "UNAUTHENTICATED") return "authentication";
    if (status == "PERMISSION_DENIED") return "permission";
    if (status == "NOT_FOUND") return "not_found";
    if (status == "RESOURCE_EXHAUSTED") return "rate_limit";
    if (status == "UNAVAILABLE") return "overloaded";
    if (status == "INTERNAL" || status == "UNKNOWN" || status == "DEADLINE_EXCEEDED" || status == "DATA_LOSS")
        return "server";
    return {};
}

}  // namespace

std::string encodeError(const ErrorInfo& error) {
    const std::string message = error.message.empty() ? "upstream request failed" : error.message;
    Value body = Value::object({{"code", error.status},
                                {"message", message},
                                {"status", statusForKind(errorKindOf(error))}});
    return cpa::sdk::toJson(Value::object({{"error", std::move(body)}}));
}

ErrorInfo decodeError(int status, std::string_view body) {
    ErrorInfo info{status, {}, {}};
    Value parsed;
    try {
        parsed = cpa::sdk::parseJson(body);
    } catch (const std::exception&) {
        return info;
    }
    // The stream endpoint answers errors as a one-element array.
    if (parsed.isArray() && parsed.size() > 0) parsed = Value(parsed.asArray().front());
    const Value* err = member(parsed, "error");
    if (!err || !err->isObject()) return info;
    info.message = stringMember(*err, "message");
    info.kind = kindForStatus(stringMember(*err, "status"));
    return info;
}

std::string encodeTokenCount(std::int64_t tokens) {
    Value detail = Value::object({{"modality", "TEXT"}, {"tokenCount", tokens}});
    return cpa::sdk::toJson(
        Value::object({{"totalTokens", tokens}, {"promptTokensDetails", Value(Value::Array{std::move(detail)})}}));
}

std::int64_t decodeTokenCount(const Value& body) {
    return intMember(unwrapResponse(body), "totalTokens").value_or(-1);
}

}  // namespace cpa::proxy::translate::gemini
