#include "config/core_validation.hpp"

#include "config/config_parse.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>

namespace cpa::core {
namespace {

enum class Kind { Scalar, Bool, Int, Map, ScalarList, ProxyList };

struct Rule {
    const char* path;
    Kind kind;
    std::int64_t min = std::numeric_limits<std::int64_t>::min();
    std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

constexpr std::int64_t kAny = std::numeric_limits<std::int64_t>::max();

// Parents come before their members so a wrong parent type is reported first.
const Rule kRules[] = {
    {"host", Kind::Scalar},
    {"port", Kind::Int, 0, 65535},
    {"tls", Kind::Map},
    {"tls.enable", Kind::Bool},
    {"tls.cert", Kind::Scalar},
    {"tls.key", Kind::Scalar},
    {"auth-dir", Kind::Scalar},
    {"pprof", Kind::Map},
    {"pprof.enable", Kind::Bool},
    {"pprof.addr", Kind::Scalar},
    {"commercial-mode", Kind::Bool},
    {"remote-management", Kind::Map},
    {"remote-management.allow-remote", Kind::Bool},
    {"remote-management.secret-key", Kind::Scalar},
    {"remote-management.disable-control-panel", Kind::Bool},
    {"remote-management.disable-auto-update-panel", Kind::Bool},
    {"remote-management.panel-github-repository", Kind::Scalar},
    {"debug", Kind::Bool},
    {"logging-to-file", Kind::Bool},
    {"logs-max-total-size-mb", Kind::Int},
    {"error-logs-max-files", Kind::Int},
    {"request-log", Kind::Bool},
    {"usage-statistics-enabled", Kind::Bool},
    {"proxy-url", Kind::Scalar},
    {"request-retry", Kind::Int},
    {"max-retry-credentials", Kind::Int},
    {"max-retry-interval", Kind::Int},
    {"disable-cooling", Kind::Bool},
    {"quota-exceeded", Kind::Map},
    {"quota-exceeded.switch-project", Kind::Bool},
    {"quota-exceeded.switch-preview-model", Kind::Bool},
    {"quota-exceeded.antigravity-credits", Kind::Bool},
    {"routing", Kind::Map},
    {"routing.strategy", Kind::Scalar},
    {"routing.session-affinity", Kind::Bool},
    {"force-model-prefix", Kind::Bool},
    {"ws-auth", Kind::Bool},
    {"passthrough-headers", Kind::Bool},
    {"enable-gemini-cli-endpoint", Kind::Bool},
    {"nonstream-keepalive-interval", Kind::Int},
    {"streaming", Kind::Map},
    {"streaming.keepalive-seconds", Kind::Int},
    {"streaming.bootstrap-retries", Kind::Int},
    {"auth-auto-refresh-workers", Kind::Int},
    {"api-keys", Kind::ScalarList},
    {"modules", Kind::ScalarList},
    {"modules-dir", Kind::Scalar},
    {"logs-dir", Kind::Scalar},
    {"trusted-proxies", Kind::ProxyList},
    {"http-server", Kind::Map},
    {"http-server.max-threads", Kind::Int, 1, kAny},
    {"http-server.max-queued", Kind::Int, 1, kAny},
    {"http-server.keep-alive-timeout-seconds", Kind::Int, 1, kAny},
    {"http-server.max-request-body-mb", Kind::Int, 1, kAny},
    {"http-server.max-management-body-kb", Kind::Int, 1, kAny},
    {"http-server.shutdown-drain-seconds", Kind::Int, 0, kAny},
};

const sdk::Value* lookup(const sdk::Value& root, std::string_view path) {
    const sdk::Value* cur = &root;
    while (cur) {
        const auto dot = path.find('.');
        const std::string_view part = path.substr(0, dot);
        if (!cur->isObject()) return nullptr;
        cur = cur->find(part);
        if (dot == std::string_view::npos) return cur;
        path.remove_prefix(dot + 1);
    }
    return nullptr;
}

sdk::Value* lookupMutable(sdk::Value& root, std::string_view path) {
    return const_cast<sdk::Value*>(lookup(root, path));
}

// YAML 1.1 spellings Go's yaml.v3 still accepts when decoding into a bool.
std::optional<bool> yaml11Bool(const std::string& s) {
    static const std::set<std::string, std::less<>> yes{"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
    static const std::set<std::string, std::less<>> no{"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
    if (yes.count(s)) return true;
    if (no.count(s)) return false;
    return std::nullopt;
}

[[noreturn]] void fail(const KeyLines* lines, const std::string& path, const std::string& what) {
    std::string prefix;
    if (lines) {
        const auto it = lines->find(path);
        if (it != lines->end()) prefix = "line " + std::to_string(it->second) + ": ";
    }
    throw ConfigTextError(prefix + path + ": " + what);
}

bool isScalar(const sdk::Value& v) { return !v.isArray() && !v.isObject(); }

std::string describe(const sdk::Value& v) {
    switch (v.type()) {
    case sdk::Value::Type::Null: return "null";
    case sdk::Value::Type::Bool: return "a boolean";
    case sdk::Value::Type::Int: return "an integer";
    case sdk::Value::Type::Double: return "a number";
    case sdk::Value::Type::String: return "a string";
    case sdk::Value::Type::Array: return "a list";
    case sdk::Value::Type::Object: return "a mapping";
    }
    return "a value";
}

void check(const Rule& rule, const sdk::Value& v, const KeyLines* lines) {
    if (v.isNull()) return;  // absent-equivalent: the reader's default applies
    const std::string path = rule.path;
    switch (rule.kind) {
    case Kind::Scalar:
        if (!isScalar(v)) fail(lines, path, "expected a string, got " + describe(v));
        break;
    case Kind::Bool:
        if (!v.isBool()) fail(lines, path, "expected true or false, got " + describe(v));
        break;
    case Kind::Int: {
        std::string range;
        if (rule.min != std::numeric_limits<std::int64_t>::min() && rule.max != kAny) {
            range = " between " + std::to_string(rule.min) + " and " + std::to_string(rule.max);
        } else if (rule.min != std::numeric_limits<std::int64_t>::min()) {
            range = rule.min == 0 ? " >= 0" : " >= " + std::to_string(rule.min);
        }
        if (!v.isInt()) fail(lines, path, "expected an integer" + range + ", got " + describe(v));
        if (v.asInt() < rule.min || v.asInt() > rule.max) {
            fail(lines, path, "expected an integer" + range + ", got " + std::to_string(v.asInt()));
        }
        break;
    }
    case Kind::Map:
        if (!v.isObject()) fail(lines, path, "expected a mapping, got " + describe(v));
        break;
    case Kind::ScalarList:
    case Kind::ProxyList: {
        if (!v.isArray()) fail(lines, path, "expected a list, got " + describe(v));
        std::size_t i = 0;
        for (const auto& item : v.asArray()) {
            const std::string itemPath = path + "[" + std::to_string(i++) + "]";
            if (!isScalar(item) || item.isNull()) fail(lines, itemPath, "expected a string, got " + describe(item));
            if (rule.kind == Kind::ProxyList && (!item.isString() || !isIpOrCidr(item.asString()))) {
                fail(lines, itemPath, "not an IP address or CIDR range");
            }
        }
        break;
    }
    }
}

}  // namespace

bool isIpOrCidr(const std::string& s) {
    const auto slash = s.find('/');
    const std::string addr = s.substr(0, slash);
    unsigned char buf[16];
    int maxBits = 0;
    if (::inet_pton(AF_INET, addr.c_str(), buf) == 1) {
        maxBits = 32;
    } else if (::inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
        maxBits = 128;
    } else {
        return false;
    }
    if (slash == std::string::npos) return true;
    const std::string_view bits = std::string_view(s).substr(slash + 1);
    if (bits.empty() || bits.size() > 3) return false;
    int n = -1;
    auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
    return ec == std::errc() && ptr == bits.data() + bits.size() && n >= 0 && n <= maxBits;
}

void validateCoreConfig(const sdk::Value& root, const KeyLines* lines) {
    if (!root.isObject()) throw ConfigTextError("the top level of the config must be a mapping");
    for (const Rule& rule : kRules) {
        if (const sdk::Value* v = lookup(root, rule.path)) check(rule, *v, lines);
    }
}

void coerceYaml11Booleans(sdk::Value& root) {
    for (const auto& rule : kRules) {
        if (rule.kind != Kind::Bool) continue;
        sdk::Value* v = lookupMutable(root, rule.path);
        if (!v || !v->isString()) continue;
        if (const auto b = yaml11Bool(v->asString())) *v = sdk::Value(*b);
    }
}

}  // namespace cpa::core
