#include "scalar_settings.hpp"

#include "proxy_url.hpp"
#include "text_util.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/text.hpp>

#include <functional>
#include <vector>

namespace cpa::config {
namespace {

using sdk::Value;

/// Reads the current value from a snapshot.
using Reader = std::function<Value(const sdk::ConfigSnapshot&)>;
/// Turns a request body into the value to store; throws HttpError(400).
using Parser = std::function<Value(const std::string& body)>;

struct Setting {
    std::string route;     ///< below /v0/management
    std::string jsonName;  ///< the GET member
    std::string key;       ///< dotted config path
    Value fallback;        ///< the value when absent
    Reader read;
    Parser parse;
    bool deletable = false;  ///< DELETE stores the fallback
};

[[noreturn]] void invalidBody() { throw sdk::HttpError(400, "invalid body"); }

Reader boolReader(std::string key, bool fallback) {
    return [key, fallback](const sdk::ConfigSnapshot& s) { return Value(s.getBool(key, fallback)); };
}

Parser boolParser() {
    return [](const std::string& body) {
        const auto v = sdk::boundBoolValue(body);
        if (!v) invalidBody();
        return Value(*v);
    };
}

/// `normalize` maps the stored/given number, e.g. negatives → 0.
Reader intReader(std::string key, std::int64_t fallback, std::function<std::int64_t(std::int64_t)> normalize) {
    return [key, fallback, normalize](const sdk::ConfigSnapshot& s) {
        return Value(normalize(s.getInt(key, fallback)));
    };
}

Parser intParser(std::function<std::int64_t(std::int64_t)> normalize) {
    return [normalize](const std::string& body) {
        const auto v = sdk::boundIntValue(body);
        if (!v) invalidBody();
        return Value(normalize(*v));
    };
}

std::int64_t asIs(std::int64_t n) { return n; }
std::int64_t clampZero(std::int64_t n) { return n < 0 ? 0 : n; }
std::int64_t negativeToTen(std::int64_t n) { return n < 0 ? 10 : n; }

Setting boolSetting(std::string name) {
    return {name, name, name, Value(false), boolReader(name, false), boolParser()};
}

std::vector<Setting> settings() {
    std::vector<Setting> all;
    for (const char* name : {"debug", "logging-to-file", "usage-statistics-enabled", "request-log", "ws-auth",
                             "force-model-prefix"}) {
        all.push_back(boolSetting(name));
    }
    all.push_back({"logs-max-total-size-mb", "logs-max-total-size-mb", "logs-max-total-size-mb", Value(0),
                   intReader("logs-max-total-size-mb", 0, clampZero), intParser(clampZero)});
    all.push_back({"error-logs-max-files", "error-logs-max-files", "error-logs-max-files", Value(10),
                   intReader("error-logs-max-files", 10, negativeToTen), intParser(negativeToTen)});
    // Negative retries mean 0 at runtime; they are clamped on write (GET shows
    // what the file holds, like the original).
    for (const char* name : {"request-retry", "max-retry-interval"}) {
        all.push_back({name, name, name, Value(0), intReader(name, 0, asIs), intParser(clampZero)});
    }

    Setting proxy{"proxy-url", "proxy-url", "proxy-url", Value(""),
                  [](const sdk::ConfigSnapshot& s) { return Value(s.getString("proxy-url", "")); },
                  [](const std::string& body) {
                      const auto v = sdk::boundStringValue(body);
                      if (!v) invalidBody();
                      // management-api-core.md §5.8 recommendation: trimmed, and only values the runtime can use.
                      if (!parseProxySetting(*v)) invalidBody();
                      return Value(sdk::trimAscii(*v));
                  },
                  true};
    all.push_back(std::move(proxy));

    Setting strategy{"routing/strategy", "strategy", "routing.strategy", Value("round-robin"),
                     [](const sdk::ConfigSnapshot& s) {
                         const std::string stored = s.getString("routing.strategy", "");
                         if (auto n = normalizeRoutingStrategy(stored)) return Value(*n);
                         return Value(sdk::trimAscii(stored));
                     },
                     [](const std::string& body) {
                         const auto v = sdk::boundStringValue(body);
                         if (!v) invalidBody();
                         const auto n = normalizeRoutingStrategy(*v);
                         if (!n) throw sdk::HttpError(400, "invalid strategy");
                         return Value(*n);
                     }};
    all.push_back(std::move(strategy));
    return all;
}

void store(sdk::ModuleContext& ctx, const Setting& s, const Value& value) {
    ctx.config().update([&](Value& root) { applySetting(root, s.key, value, s.fallback); });
    // Values are not logged: proxy-url may carry credentials.
    ctx.logger().info(s.key + " updated");
}

}  // namespace

void applySetting(Value& root, std::string_view dottedPath, const Value& value, const Value& fallback) {
    Value* cur = &root;
    while (true) {
        const auto dot = dottedPath.find('.');
        const std::string_view part = dottedPath.substr(0, dot);
        if (!cur->isObject()) {
            if (value == fallback) return;  // nothing to add
            *cur = Value::object();
        }
        Value* next = cur->find(part);
        if (next == nullptr) {
            if (value == fallback) return;
            cur->set(part, dot == std::string_view::npos ? value : Value::object());
            next = cur->find(part);
        }
        if (dot == std::string_view::npos) {
            *next = value;
            return;
        }
        cur = next;
        dottedPath.remove_prefix(dot + 1);
    }
}

std::optional<std::string> normalizeRoutingStrategy(std::string_view s) {
    const std::string n = sdk::lowerAscii(sdk::trimAscii(s));
    if (n.empty() || n == "round-robin" || n == "roundrobin" || n == "rr") return "round-robin";
    if (n == "fill-first" || n == "fillfirst" || n == "ff") return "fill-first";
    return std::nullopt;
}

void registerScalarSettings(sdk::RouteRegistry& routes, sdk::ModuleContext& context) {
    sdk::ModuleContext* ctx = &context;
    for (const Setting& setting : settings()) {
        const std::string path = std::string(sdk::kManagementBase) + "/" + setting.route;
        routes.route(sdk::Method::Get, path, sdk::Access::Management, [ctx, setting](sdk::Request&, sdk::Response& res) {
            res.json(200, Value::object({{setting.jsonName, setting.read(*ctx->config().snapshot())}}));
        });
        auto put = [ctx, setting](sdk::Request& req, sdk::Response& res) {
            store(*ctx, setting, setting.parse(req.body()));
            res.json(200, Value::object({{"status", "ok"}}));
        };
        routes.route(sdk::Method::Put, path, sdk::Access::Management, put);
        routes.route(sdk::Method::Patch, path, sdk::Access::Management, put);
        if (setting.deletable) {
            routes.route(sdk::Method::Delete, path, sdk::Access::Management,
                         [ctx, setting](sdk::Request&, sdk::Response& res) {
                             store(*ctx, setting, setting.fallback);
                             res.json(200, Value::object({{"status", "ok"}}));
                         });
        }
    }
}

}  // namespace cpa::config
