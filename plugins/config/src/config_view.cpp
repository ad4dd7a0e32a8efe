#include "config_view.hpp"

#include "text_util.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace cpa::config {
namespace {

using sdk::Value;
using Maybe = std::optional<Value>;

/// A member that is present and not null.
const Value* get(const Value* obj, std::string_view key) {
    if (obj == nullptr || !obj->isObject()) return nullptr;
    const Value* v = obj->find(key);
    return (v == nullptr || v->isNull()) ? nullptr : v;
}

bool boolAt(const Value* obj, std::string_view key, bool fallback = false) {
    const Value* v = get(obj, key);
    return (v != nullptr && v->isBool()) ? v->asBool() : fallback;
}

std::int64_t intAt(const Value* obj, std::string_view key, std::int64_t fallback = 0) {
    const Value* v = get(obj, key);
    return (v != nullptr && v->isInt()) ? v->asInt() : fallback;
}

std::string strAt(const Value* obj, std::string_view key) { return scalarText(get(obj, key)); }

/// Sets `key` unless the value is "empty" (Go's omitempty).
void putIf(Value& out, std::string_view key, Maybe v) {
    if (v) out.set(key, std::move(*v));
}
Maybe nonEmpty(std::string s) { return s.empty() ? Maybe() : Maybe(Value(std::move(s))); }
Maybe nonZero(std::int64_t n) { return n == 0 ? Maybe() : Maybe(Value(n)); }
Maybe nonFalse(bool b) { return b ? Maybe(Value(true)) : Maybe(); }
/// A *bool in the original: present whenever the file sets it.
Maybe optionalBool(const Value* obj, std::string_view key) {
    const Value* v = get(obj, key);
    return (v != nullptr && v->isBool()) ? Maybe(Value(v->asBool())) : Maybe();
}

/// A list that is null when absent (Go nil slice) and [] when written empty.
Value listOf(const Value* list, const std::function<Maybe(const Value&)>& item) {
    if (list == nullptr || !list->isArray()) return Value();
    Value out = Value::array();
    for (const Value& v : list->asArray()) {
        if (Maybe m = item(v)) out.push(std::move(*m));
    }
    return out;
}
/// The same, for omitempty members: empty → absent.
Maybe listOrAbsent(const Value* list, const std::function<Maybe(const Value&)>& item) {
    Value v = listOf(list, item);
    if (!v.isArray() || v.size() == 0) return std::nullopt;
    return v;
}

Maybe stringItem(const Value& v) { return Value(scalarText(&v)); }

/// H: trimmed names and values, empty pairs dropped; sorted like a Go map.
Maybe headersH(const Value* map) {
    if (map == nullptr || !map->isObject()) return std::nullopt;
    std::map<std::string, std::string> kept;
    for (const auto& [k, v] : map->asObject()) {
        std::string name = sdk::trimAscii(k);
        std::string value = sdk::trimAscii(scalarText(&v));
        if (!name.empty() && !value.empty()) kept[name] = value;
    }
    if (kept.empty()) return std::nullopt;
    Value out = Value::object();
    for (auto& [k, v] : kept) out.set(k, v);
    return out;
}

/// X: trimmed, lower-cased, blanks and repeats dropped.
Maybe excludedX(const Value* list) {
    if (list == nullptr || !list->isArray()) return std::nullopt;
    Value out = Value::array();
    std::set<std::string> seen;
    for (const Value& v : list->asArray()) {
        std::string s = sdk::lowerAscii(sdk::trimAscii(scalarText(&v)));
        if (s.empty() || !seen.insert(s).second) continue;
        out.push(s);
    }
    if (out.size() == 0) return std::nullopt;
    return out;
}

/// P: trimmed, outer slashes stripped, discarded when it still holds one.
std::string prefixP(const std::string& raw) {
    std::string s = sdk::trimAscii(raw);
    const auto first = s.find_first_not_of('/');
    if (first == std::string::npos) return {};
    s = s.substr(first, s.find_last_not_of('/') - first + 1);
    return s.find('/') == std::string::npos ? s : std::string();
}

Maybe modelItem(const Value& m) {
    const Value* obj = &m;
    return Value::object({{"name", strAt(obj, "name")}, {"alias", strAt(obj, "alias")}});
}

Maybe thinking(const Value* t) {
    if (t == nullptr || !t->isObject()) return std::nullopt;
    Value out = Value::object();
    putIf(out, "min", nonZero(intAt(t, "min")));
    putIf(out, "max", nonZero(intAt(t, "max")));
    putIf(out, "zero_allowed", nonFalse(boolAt(t, "zero-allowed")));
    putIf(out, "dynamic_allowed", nonFalse(boolAt(t, "dynamic-allowed")));
    putIf(out, "levels", listOrAbsent(get(t, "levels"), stringItem));
    return out;
}

Maybe compatModelItem(const Value& m) {
    Value out = *modelItem(m);
    putIf(out, "thinking", thinking(get(&m, "thinking")));
    return out;
}

// ----- provider families (config-schema.md §4) -----

/// The members gemini and vertex entries share: trimmed api-key (required),
/// priority, prefix, base-url, proxy-url; a repeated api-key + base-url pair
/// is dropped.
Maybe keyedEntryHead(const Value& e, std::set<std::string>& seen) {
    const std::string key = sdk::trimAscii(strAt(&e, "api-key"));
    if (key.empty()) return std::nullopt;
    const std::string base = sdk::trimAscii(strAt(&e, "base-url"));
    if (!seen.insert(key + "|" + base).second) return std::nullopt;
    Value out = Value::object({{"api-key", key}});
    putIf(out, "priority", nonZero(intAt(&e, "priority")));
    putIf(out, "prefix", nonEmpty(prefixP(strAt(&e, "prefix"))));
    putIf(out, "base-url", nonEmpty(base));
    putIf(out, "proxy-url", nonEmpty(sdk::trimAscii(strAt(&e, "proxy-url"))));
    return out;
}

Value geminiList(const Value* list) {
    std::set<std::string> seen;
    return listOf(list, [&](const Value& e) -> Maybe {
        Maybe head = keyedEntryHead(e, seen);
        if (!head) return std::nullopt;
        Value& out = *head;
        putIf(out, "models", listOrAbsent(get(&e, "models"), modelItem));
        putIf(out, "headers", headersH(get(&e, "headers")));
        putIf(out, "excluded-models", excludedX(get(&e, "excluded-models")));
        return out;
    });
}

Maybe cloak(const Value* c) {
    if (c == nullptr || !c->isObject()) return std::nullopt;
    Value out = Value::object();
    putIf(out, "mode", nonEmpty(strAt(c, "mode")));
    putIf(out, "strict-mode", nonFalse(boolAt(c, "strict-mode")));
    putIf(out, "sensitive-words", listOrAbsent(get(c, "sensitive-words"), stringItem));
    putIf(out, "cache-user-id", optionalBool(c, "cache-user-id"));
    return out;
}

Value claudeList(const Value* list) {
    return listOf(list, [](const Value& e) -> Maybe {
        Value out = Value::object({{"api-key", strAt(&e, "api-key")}});
        putIf(out, "priority", nonZero(intAt(&e, "priority")));
        putIf(out, "prefix", nonEmpty(prefixP(strAt(&e, "prefix"))));
        out.set("base-url", strAt(&e, "base-url"));
        out.set("proxy-url", strAt(&e, "proxy-url"));
        out.set("models", listOf(get(&e, "models"), modelItem));
        putIf(out, "headers", headersH(get(&e, "headers")));
        putIf(out, "excluded-models", excludedX(get(&e, "excluded-models")));
        putIf(out, "cloak", cloak(get(&e, "cloak")));
        putIf(out, "experimental-cch-signing", nonFalse(boolAt(&e, "experimental-cch-signing")));
        return out;
    });
}

Value codexList(const Value* list) {
    return listOf(list, [](const Value& e) -> Maybe {
        const std::string base = sdk::trimAscii(strAt(&e, "base-url"));
        if (base.empty()) return std::nullopt;
        Value out = Value::object({{"api-key", strAt(&e, "api-key")}});
        putIf(out, "priority", nonZero(intAt(&e, "priority")));
        putIf(out, "prefix", nonEmpty(prefixP(strAt(&e, "prefix"))));
        out.set("base-url", base);
        putIf(out, "websockets", nonFalse(boolAt(&e, "websockets")));
        out.set("proxy-url", strAt(&e, "proxy-url"));
        out.set("models", listOf(get(&e, "models"), modelItem));
        putIf(out, "headers", headersH(get(&e, "headers")));
        putIf(out, "excluded-models", excludedX(get(&e, "excluded-models")));
        return out;
    });
}

Value vertexList(const Value* list) {
    std::set<std::string> seen;
    return listOf(list, [&](const Value& e) -> Maybe {
        Maybe head = keyedEntryHead(e, seen);
        if (!head) return std::nullopt;
        Value& out = *head;
        putIf(out, "headers", headersH(get(&e, "headers")));
        putIf(out, "models", listOrAbsent(get(&e, "models"), [](const Value& m) -> Maybe {
                  const std::string name = sdk::trimAscii(strAt(&m, "name"));
                  const std::string alias = sdk::trimAscii(strAt(&m, "alias"));
                  if (name.empty() || alias.empty()) return std::nullopt;
                  return Value::object({{"name", name}, {"alias", alias}});
              }));
        putIf(out, "excluded-models", excludedX(get(&e, "excluded-models")));
        return out;
    });
}

Value compatList(const Value* list) {
    return listOf(list, [](const Value& e) -> Maybe {
        const std::string base = sdk::trimAscii(strAt(&e, "base-url"));
        if (base.empty()) return std::nullopt;
        Value out = Value::object({{"name", sdk::trimAscii(strAt(&e, "name"))}});
        putIf(out, "priority", nonZero(intAt(&e, "priority")));
        putIf(out, "disabled", nonFalse(boolAt(&e, "disabled")));
        putIf(out, "prefix", nonEmpty(prefixP(strAt(&e, "prefix"))));
        out.set("base-url", base);
        putIf(out, "api-key-entries", listOrAbsent(get(&e, "api-key-entries"), [](const Value& k) -> Maybe {
                  Value item = Value::object({{"api-key", strAt(&k, "api-key")}});
                  putIf(item, "proxy-url", nonEmpty(strAt(&k, "proxy-url")));
                  return item;
              }));
        out.set("models", listOf(get(&e, "models"), compatModelItem));
        putIf(out, "headers", headersH(get(&e, "headers")));
        return out;
    });
}

// ----- OAuth maps (config-schema.md §5) -----

Maybe oauthExcluded(const Value* map) {
    if (map == nullptr || !map->isObject()) return std::nullopt;
    std::map<std::string, Value> kept;
    for (const auto& [k, v] : map->asObject()) {
        const std::string channel = sdk::lowerAscii(sdk::trimAscii(k));
        if (channel.empty()) continue;
        if (Maybe list = excludedX(&v)) kept[channel] = std::move(*list);
    }
    if (kept.empty()) return std::nullopt;
    Value out = Value::object();
    for (auto& [k, v] : kept) out.set(k, std::move(v));
    return out;
}

Maybe oauthAlias(const Value* map) {
    if (map == nullptr || !map->isObject()) return std::nullopt;
    std::map<std::string, Value> kept;
    for (const auto& [k, list] : map->asObject()) {
        const std::string channel = sdk::lowerAscii(sdk::trimAscii(k));
        if (channel.empty() || !list.isArray()) continue;
        Value clean = Value::array();
        std::set<std::string> seenAlias;
        for (const Value& item : list.asArray()) {
            const std::string name = sdk::trimAscii(strAt(&item, "name"));
            const std::string alias = sdk::trimAscii(strAt(&item, "alias"));
            if (name.empty() || alias.empty() || sdk::lowerAscii(name) == sdk::lowerAscii(alias)) continue;
            if (!seenAlias.insert(sdk::lowerAscii(alias)).second) continue;
            Value entry = Value::object({{"name", name}, {"alias", alias}});
            putIf(entry, "fork", nonFalse(boolAt(&item, "fork")));
            clean.push(std::move(entry));
        }
        if (clean.size() > 0) kept[channel] = std::move(clean);
    }
    if (kept.empty()) return std::nullopt;
    Value out = Value::object();
    for (auto& [k, v] : kept) out.set(k, std::move(v));
    return out;
}

// ----- payload (config-schema.md §6) -----

Value sortedObject(const Value* map) {
    if (map == nullptr || !map->isObject()) return Value();
    std::map<std::string, Value> sorted(map->asObject().begin(), map->asObject().end());
    Value out = Value::object();
    for (auto& [k, v] : sorted) out.set(k, v);
    return out;
}

Maybe payloadModel(const Value& m) {
    return Value::object({{"name", strAt(&m, "name")}, {"protocol", strAt(&m, "protocol")}});
}

Value payloadRules(const Value* list, bool raw) {
    return listOf(list, [raw](const Value& r) -> Maybe {
        const Value* params = get(&r, "params");
        if (raw) {
            // Raw rules: every string parameter must hold valid JSON, else the rule goes.
            if (params == nullptr || !params->isObject() || params->size() == 0) return std::nullopt;
            for (const auto& [path, v] : params->asObject()) {
                if (!v.isString()) continue;
                const std::string text = sdk::trimAscii(v.asString());
                if (text.empty()) return std::nullopt;
                try {
                    sdk::parseJson(text);
                } catch (const std::exception&) {
                    return std::nullopt;
                }
            }
        }
        return Value::object({{"models", listOf(get(&r, "models"), payloadModel)}, {"params", sortedObject(params)}});
    });
}

Value payloadFilters(const Value* list) {
    return listOf(list, [](const Value& r) -> Maybe {
        return Value::object(
            {{"models", listOf(get(&r, "models"), payloadModel)}, {"params", listOf(get(&r, "params"), stringItem)}});
    });
}

Value disableImageGeneration(const Value* v) {
    if (v == nullptr) return Value(false);
    if (v->isBool()) return Value(v->asBool());
    const std::string s = sdk::lowerAscii(sdk::trimAscii(scalarText(v)));
    if (s == "chat") return Value("chat");
    return Value(s == "true" || s == "1" || s == "on" || s == "yes");
}

}  // namespace

Value ampcodeView(const Value* a) {
    Value amp = Value::object();
    amp.set("upstream-url", strAt(a, "upstream-url"));
    amp.set("upstream-api-key", strAt(a, "upstream-api-key"));
    putIf(amp, "upstream-api-keys", listOrAbsent(get(a, "upstream-api-keys"), [](const Value& e) -> Maybe {
              return Value::object({{"upstream-api-key", strAt(&e, "upstream-api-key")},
                                    {"api-keys", listOf(get(&e, "api-keys"), stringItem)}});
          }));
    amp.set("restrict-management-to-localhost", boolAt(a, "restrict-management-to-localhost"));
    amp.set("model-mappings", listOf(get(a, "model-mappings"), [](const Value& m) -> Maybe {
                Value item = Value::object({{"from", strAt(&m, "from")}, {"to", strAt(&m, "to")}});
                putIf(item, "regex", nonFalse(boolAt(&m, "regex")));
                return item;
            }));
    amp.set("force-model-mappings", boolAt(a, "force-model-mappings"));
    return amp;
}

namespace {

// configView's sections that are objects of their own, each from its member of the file.

Value streamingView(const Value* s) {
    Value streaming = Value::object();
    putIf(streaming, "keepalive-seconds", nonZero(intAt(s, "keepalive-seconds")));
    putIf(streaming, "bootstrap-retries", nonZero(intAt(s, "bootstrap-retries")));
    return streaming;
}

Value tlsView(const Value* t) {
    return Value::object({{"enable", boolAt(t, "enable")}, {"cert", strAt(t, "cert")}, {"key", strAt(t, "key")}});
}

Value pprofView(const Value* p) {
    std::string addr = sdk::trimAscii(strAt(p, "addr"));
    if (addr.empty()) addr = "127.0.0.1:8316";
    return Value::object({{"enable", boolAt(p, "enable")}, {"addr", addr}});
}

Value quotaExceededView(const Value* q) {
    return Value::object({{"switch-project", boolAt(q, "switch-project")},
                          {"switch-preview-model", boolAt(q, "switch-preview-model")},
                          {"antigravity-credits", boolAt(q, "antigravity-credits")}});
}

Value routingView(const Value* r) {
    Value routing = Value::object();
    putIf(routing, "strategy", nonEmpty(strAt(r, "strategy")));
    putIf(routing, "claude-code-session-affinity", nonFalse(boolAt(r, "claude-code-session-affinity")));
    putIf(routing, "session-affinity", nonFalse(boolAt(r, "session-affinity")));
    putIf(routing, "session-affinity-ttl", nonEmpty(strAt(r, "session-affinity-ttl")));
    return routing;
}

Value codexHeaderDefaultsView(const Value* c) {
    return Value::object(
        {{"user-agent", sdk::trimAscii(strAt(c, "user-agent"))}, {"beta-features", sdk::trimAscii(strAt(c, "beta-features"))}});
}

Value claudeHeaderDefaultsView(const Value* c) {
    Value d = Value::object();
    for (const char* k : {"user-agent", "package-version", "runtime-version", "os", "arch", "timeout"}) {
        d.set(k, sdk::trimAscii(strAt(c, k)));
    }
    putIf(d, "stabilize-device-profile", optionalBool(c, "stabilize-device-profile"));
    return d;
}

Value payloadView(const Value* p) {
    return Value::object({{"default", payloadRules(get(p, "default"), false)},
                          {"default-raw", payloadRules(get(p, "default-raw"), true)},
                          {"override", payloadRules(get(p, "override"), false)},
                          {"override-raw", payloadRules(get(p, "override-raw"), true)},
                          {"filter", payloadFilters(get(p, "filter"))}});
}

}  // namespace

Value configView(const Value& rootValue) {
    const Value* root = &rootValue;
    Value out = Value::object();
    out.set("proxy-url", strAt(root, "proxy-url"));
    out.set("disable-image-generation", disableImageGeneration(get(root, "disable-image-generation")));
    out.set("enable-gemini-cli-endpoint", boolAt(root, "enable-gemini-cli-endpoint"));
    out.set("force-model-prefix", boolAt(root, "force-model-prefix"));
    out.set("request-log", boolAt(root, "request-log"));
    out.set("api-keys", listOf(get(root, "api-keys"), stringItem));
    out.set("passthrough-headers", boolAt(root, "passthrough-headers"));
    out.set("streaming", streamingView(get(root, "streaming")));
    putIf(out, "nonstream-keepalive-interval", nonZero(intAt(root, "nonstream-keepalive-interval")));
    out.set("tls", tlsView(get(root, "tls")));
    out.set("debug", boolAt(root, "debug"));
    out.set("pprof", pprofView(get(root, "pprof")));
    out.set("commercial-mode", boolAt(root, "commercial-mode"));
    out.set("logging-to-file", boolAt(root, "logging-to-file"));
    out.set("logs-max-total-size-mb", std::max<std::int64_t>(0, intAt(root, "logs-max-total-size-mb")));
    const std::int64_t errorLogs = intAt(root, "error-logs-max-files", 10);
    out.set("error-logs-max-files", errorLogs < 0 ? 10 : errorLogs);
    out.set("usage-statistics-enabled", boolAt(root, "usage-statistics-enabled"));
    out.set("disable-cooling", boolAt(root, "disable-cooling"));
    out.set("auth-auto-refresh-workers", intAt(root, "auth-auto-refresh-workers"));
    out.set("request-retry", intAt(root, "request-retry"));
    out.set("max-retry-credentials", std::max<std::int64_t>(0, intAt(root, "max-retry-credentials")));
    out.set("max-retry-interval", intAt(root, "max-retry-interval"));
    out.set("quota-exceeded", quotaExceededView(get(root, "quota-exceeded")));
    out.set("routing", routingView(get(root, "routing")));
    out.set("ws-auth", boolAt(root, "ws-auth"));
    putIf(out, "antigravity-signature-cache-enabled", optionalBool(root, "antigravity-signature-cache-enabled"));
    putIf(out, "antigravity-signature-bypass-strict", optionalBool(root, "antigravity-signature-bypass-strict"));
    out.set("gemini-api-key", geminiList(get(root, "gemini-api-key")));
    out.set("codex-api-key", codexList(get(root, "codex-api-key")));
    out.set("codex-header-defaults", codexHeaderDefaultsView(get(root, "codex-header-defaults")));
    out.set("claude-api-key", claudeList(get(root, "claude-api-key")));
    out.set("claude-header-defaults", claudeHeaderDefaultsView(get(root, "claude-header-defaults")));
    out.set("openai-compatibility", compatList(get(root, "openai-compatibility")));
    out.set("vertex-api-key", vertexList(get(root, "vertex-api-key")));
    out.set("ampcode", ampcodeView(get(root, "ampcode")));
    putIf(out, "oauth-excluded-models", oauthExcluded(get(root, "oauth-excluded-models")));
    putIf(out, "oauth-model-alias", oauthAlias(get(root, "oauth-model-alias")));
    out.set("payload", payloadView(get(root, "payload")));
    return out;
}

}  // namespace cpa::config
