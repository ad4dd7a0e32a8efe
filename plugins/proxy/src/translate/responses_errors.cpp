// Error bodies in the OpenAI shape, both ways (docs/spec/translation.md §4
// recommendation; type/code per status as data-plane.md §9.1).
#include "translate/common.hpp"
#include "translate/responses_internal.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::responses {

using cpa::sdk::Value;

namespace {

const char* typeForKind(const std::string& kind) {
    if (kind == "authentication") return "authentication_error";
    if (kind == "permission") return "permission_error";
    if (kind == "rate_limit") return "rate_limit_error";
    if (kind == "overloaded" || kind == "server") return "server_error";
    return "invalid_request_error";  // invalid_request, not_found
}

Value codeForStatus(int status, const std::string& kind) {
    if (kind == "authentication") return Value("invalid_api_key");
    if (kind == "rate_limit") return Value("rate_limit_exceeded");
    if (kind == "not_found") return Value("model_not_found");
    if (kind == "permission") return Value("insufficient_quota");
    if (kind == "overloaded") return Value("server_overloaded");
    if (status >= 500) return Value("internal_server_error");
    return Value();
}

std::string kindForType(const std::string& type, const std::string& code) {
    if (type == "authentication_error" || code == "invalid_api_key") return "authentication";
    if (type == "permission_error") return "permission";
    if (type == "not_found_error" || code == "model_not_found") return "not_found";
    // Codex reports an exhausted plan as usage_limit_reached.
    if (type == "rate_limit_error" || type == "usage_limit_reached" || type == "insufficient_quota" ||
        code == "rate_limit_exceeded")
        return "rate_limit";
    if (type == "server_error") return "server";
    if (type == "invalid_request_error") return "invalid_request";
    return "";
}

std::string codeText(const Value& obj) {
    const Value* c = member(obj, "code");
    if (!c) return "";
    if (c->isString()) return c->asString();
    return c->isNumber() ? cpa::sdk::toJson(*c) : "";
}

}  // namespace

std::string encodeError(const ErrorInfo& error) {
    const std::string kind = errorKindOf(error);
    const Value body = Value::object({{"error", Value::object({{"message", error.message},
                                                               {"type", typeForKind(kind)},
                                                               {"param", Value()},
                                                               {"code", codeForStatus(error.status, kind)}})}});
    return cpa::sdk::toJson(body);
}

ErrorInfo decodeError(int status, std::string_view body) {
    ErrorInfo info{status, {}, {}};
    Value v;
    try {
        v = cpa::sdk::parseJson(body);
    } catch (const std::exception&) {
        return info;
    }
    if (!v.isObject()) return info;
    const Value* err = v.find("error");
    const Value* src = err && err->isObject() ? err : nullptr;
    if (!src && stringMember(v, "type") == "error") src = &v;  // {"type":"error","code","message"}
    if (src) {
        info.message = stringMember(*src, "message");
        std::string type = stringMember(*src, "type");
        if (type == "error") type.clear();
        info.kind = kindForType(type, codeText(*src));
    } else if (const Value* d = v.find("detail"); d && d->isString()) {
        info.message = d->asString();  // the ChatGPT backend's {"detail": "..."}
    } else if (err && err->isString()) {
        info.message = err->asString();
    }
    return info;
}

}  // namespace cpa::proxy::translate::responses
