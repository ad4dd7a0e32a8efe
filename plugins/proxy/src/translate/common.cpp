#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

#include <sys/random.h>

#include <chrono>
#include <stdexcept>

namespace cpa::proxy::translate {

std::string randomId(std::string_view prefix, std::size_t n) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out(prefix);
    unsigned char buf[64];
    while (n > 0) {
        const ssize_t got = getrandom(buf, sizeof buf, 0);
        if (got <= 0) throw std::runtime_error("getrandom failed");
        for (ssize_t i = 0; i < got && n > 0; ++i) {
            if (buf[i] >= 248) continue;  // 248 = 4 × 62: keeps the draw uniform
            out.push_back(kAlphabet[buf[i] % 62]);
            --n;
        }
    }
    return out;
}

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<DataUrl> parseDataUrl(std::string_view url) {
    if (url.substr(0, 5) != "data:") return std::nullopt;
    const auto comma = url.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    std::string_view meta = url.substr(5, comma - 5);
    static constexpr std::string_view kB64 = ";base64";
    if (meta.size() < kB64.size() || meta.substr(meta.size() - kB64.size()) != kB64) return std::nullopt;
    meta.remove_suffix(kB64.size());
    DataUrl d;
    d.mimeType = meta.empty() ? "application/octet-stream" : std::string(meta);
    d.data = std::string(url.substr(comma + 1));
    return d;
}

std::string makeDataUrl(std::string_view mimeType, std::string_view base64) {
    std::string out = "data:";
    out += mimeType.empty() ? std::string_view("application/octet-stream") : mimeType;
    out += ";base64,";
    out += base64;
    return out;
}

std::optional<std::int64_t> levelToBudget(std::string_view level) {
    if (level == "none") return 0;
    if (level == "auto") return -1;
    if (level == "minimal") return 512;
    if (level == "low") return 1024;
    if (level == "medium") return 8192;
    if (level == "high") return 24576;
    if (level == "xhigh") return 32768;
    if (level == "max") return 128000;
    return std::nullopt;
}

std::string budgetToLevel(std::int64_t budget) {
    if (budget < -1) return "";
    if (budget == -1) return "auto";
    if (budget == 0) return "none";
    if (budget <= 512) return "minimal";
    if (budget <= 1024) return "low";
    if (budget <= 8192) return "medium";
    if (budget <= 24576) return "high";
    return "xhigh";
}

const cpa::sdk::Value* member(const cpa::sdk::Value& v, std::string_view key) {
    return v.isObject() ? v.find(key) : nullptr;
}

std::string stringMember(const cpa::sdk::Value& v, std::string_view key) {
    const cpa::sdk::Value* m = member(v, key);
    return m && m->isString() ? m->asString() : std::string();
}

std::optional<double> numberMember(const cpa::sdk::Value& v, std::string_view key) {
    const cpa::sdk::Value* m = member(v, key);
    if (!m || !m->isNumber()) return std::nullopt;
    return m->asDouble();
}

std::optional<std::int64_t> intMember(const cpa::sdk::Value& v, std::string_view key) {
    const cpa::sdk::Value* m = member(v, key);
    if (!m || !m->isNumber()) return std::nullopt;
    return m->isInt() ? m->asInt() : static_cast<std::int64_t>(m->asDouble());
}

cpa::sdk::Value argumentsObject(std::string_view json) {
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return cpa::sdk::Value::object();
    try {
        cpa::sdk::Value v = cpa::sdk::parseJson(json);
        if (v.isObject()) return v;
    } catch (const std::exception&) {
    }
    return cpa::sdk::Value::object();
}

std::string errorKindForStatus(int status) {
    switch (status) {
        case 400: case 413: case 422: return "invalid_request";
        case 401: return "authentication";
        case 403: return "permission";
        case 404: return "not_found";
        case 429: return "rate_limit";
        case 503: case 529: return "overloaded";
        default: return status >= 400 && status < 500 ? "invalid_request" : "server";
    }
}

std::string errorKindOf(const ErrorInfo& e) { return e.kind.empty() ? errorKindForStatus(e.status) : e.kind; }

void appendSse(std::string& out, std::string_view event, std::string_view json) {
    if (!event.empty()) {
        out += "event: ";
        out += event;
        out += '\n';
    }
    out += "data: ";
    out += json;
    out += "\n\n";
}

}  // namespace cpa::proxy::translate
