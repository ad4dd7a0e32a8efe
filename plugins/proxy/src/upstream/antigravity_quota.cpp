#include "upstream/antigravity_quota.hpp"

#include "upstream/response_util.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

namespace {

constexpr double kInstantRetryBelowSeconds = 3;
constexpr double kShortCooldownBelowSeconds = 300;

}  // namespace

Antigravity429 decideAntigravity429(const std::string& body) {
    Antigravity429 d;
    if (body.empty()) return d;
    d.retryAfterSeconds = googleRetryDelaySeconds(body);
    Value doc;
    try {
        doc = cpa::sdk::parseJson(body);
    } catch (const std::exception&) {
        return d;  // no status: soft
    }
    const Value* error = doc.isObject() ? doc.find("error") : nullptr;
    const Value* status = error && error->isObject() ? error->find("status") : nullptr;
    if (!status || !status->isString() || sdk::lowerAscii(sdk::trimAscii(status->asString())) != "resource_exhausted")
        return d;
    if (const Value* details = error->find("details"); details && details->isArray()) {
        for (const Value& detail : details->asArray()) {
            const Value* type = detail.isObject() ? detail.find("@type") : nullptr;
            if (!type || type->stringOr("") != "type.googleapis.com/google.rpc.ErrorInfo") continue;
            const Value* reason = detail.find("reason");
            d.reason = sdk::trimAscii(reason ? reason->stringOr("") : "");
            const std::string r = sdk::lowerAscii(d.reason);
            if (r == "quota_exhausted") {
                d.kind = Antigravity429::Kind::QuotaExhausted;
                return d;
            }
            if (r == "rate_limit_exceeded") {
                if (!d.retryAfterSeconds) d.kind = Antigravity429::Kind::SoftRetry;
                else if (*d.retryAfterSeconds < kInstantRetryBelowSeconds) d.kind = Antigravity429::Kind::InstantRetry;
                else if (*d.retryAfterSeconds < kShortCooldownBelowSeconds) d.kind = Antigravity429::Kind::ShortCooldown;
                else d.kind = Antigravity429::Kind::QuotaExhausted;
                return d;
            }
        }
    }
    const std::string lower = sdk::lowerAscii(body);
    if (lower.find("quota_exhausted") != std::string::npos || lower.find("quota exhausted") != std::string::npos) {
        d.kind = Antigravity429::Kind::QuotaExhausted;
        d.reason = "quota_exhausted";
    }
    return d;
}

bool antigravityNoCapacity(int status, const std::string& body) {
    return status == 503 && sdk::lowerAscii(body).find("no capacity available") != std::string::npos;
}

}  // namespace cpa::proxy::upstream
