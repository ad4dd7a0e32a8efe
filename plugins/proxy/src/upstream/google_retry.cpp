// When a quota-exhausted Google Code Assist credential may be tried again
// (oauth-executors.md §4.1, the original's parseRetryDelay).
#include "upstream/response_util.hpp"

#include <cpa/sdk/json.hpp>

#include <cmath>
#include <cstdlib>
#include <string>

namespace cpa::proxy::upstream {

using cpa::sdk::Value;

std::optional<double> parseGoDuration(std::string_view text) {
    double total = 0;
    bool any = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t start = i;
        while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
        if (i == start) return std::nullopt;
        const double n = std::strtod(std::string(text.substr(start, i - start)).c_str(), nullptr);
        const std::size_t unitStart = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
        const std::string_view unit = text.substr(unitStart, i - unitStart);
        if (unit == "h") total += n * 3600;
        else if (unit == "m") total += n * 60;
        else if (unit == "s") total += n;
        else if (unit == "ms") total += n / 1e3;
        else if (unit == "us" || unit == "µs") total += n / 1e6;
        else if (unit == "ns") total += n / 1e9;
        else return std::nullopt;
        any = true;
    }
    if (!any) return std::nullopt;
    return total;
}

namespace {

std::optional<double> fromDetails(const Value& error) {
    const Value* details = error.find("details");
    if (!details || !details->isArray()) return std::nullopt;
    for (const Value& d : details->asArray()) {  // RetryInfo wins over ErrorInfo wherever it stands
        const Value* type = d.find("@type");
        if (type && type->stringOr("") == "type.googleapis.com/google.rpc.RetryInfo")
            if (const Value* v = d.find("retryDelay"); v && v->isString()) return parseGoDuration(v->asString());
    }
    for (const Value& d : details->asArray()) {
        const Value* type = d.find("@type");
        if (!type || type->stringOr("") != "type.googleapis.com/google.rpc.ErrorInfo") continue;
        const Value* meta = d.find("metadata");
        const Value* v = meta ? meta->find("quotaResetDelay") : nullptr;
        if (v && v->isString()) return parseGoDuration(v->asString());
    }
    return std::nullopt;
}

/// "… after 12s." / "… reset after 1h43m56s."
std::optional<double> fromMessage(const Value& error) {
    const Value* m = error.find("message");
    if (!m || !m->isString()) return std::nullopt;
    const std::string& text = m->asString();
    const auto at = text.find("after ");
    if (at == std::string::npos) return std::nullopt;
    std::size_t end = at + 6;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
    std::string_view d = std::string_view(text).substr(at + 6, end - at - 6);
    while (!d.empty() && d.back() == '.') d.remove_suffix(1);
    return parseGoDuration(d);
}

}  // namespace

std::optional<std::chrono::seconds> googleRetryDelay(int status, const std::string& body) {
    if (status != 429) return std::nullopt;
    const std::optional<double> s = googleRetryDelaySeconds(body);
    if (!s) return std::nullopt;
    return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(*s)));
}

std::optional<double> googleRetryDelaySeconds(const std::string& body) {
    Value doc;
    try {
        doc = cpa::sdk::parseJson(body);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (doc.isArray() && !doc.asArray().empty()) doc = Value(doc.asArray().front());  // Google's streamed error form
    const Value* error = doc.find("error");
    if (!error || !error->isObject()) return std::nullopt;
    std::optional<double> s = fromDetails(*error);
    if (!s) s = fromMessage(*error);
    if (!s || *s <= 0) return std::nullopt;
    return s;
}

}  // namespace cpa::proxy::upstream
