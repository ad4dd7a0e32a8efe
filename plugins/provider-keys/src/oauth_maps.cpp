#include "oauth_maps.hpp"

#include "entry_codec.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/key_list_resource.hpp>
#include <cpa/sdk/text.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace cpa::provider_keys {

namespace {

const Value kOk = Value::object({{"status", "ok"}});

[[noreturn]] void invalidBody() { throw sdk::HttpError(400, "invalid body"); }

std::string lowerTrim(std::string_view s) { return sdk::lowerAscii(sdk::trimSpace(s)); }

Value sorted(const std::map<std::string, Value>& m) {
    Value out = Value::object();
    for (const auto& [k, v] : m) out.set(k, v);
    return out;
}

/// One map endpoint: its config key, normaliser, and the JSON type check of
/// one list value (the original decodes bodies into typed Go maps).
struct MapKind {
    const char* configKey;
    Value (*normalize)(const Value&);
    bool (*validList)(const Value&);
    bool writeEmptyAsMapping;  ///< model-alias keeps `key: {}` so a cleared map survives reloads
};

bool validStringList(const Value& v) {
    if (v.isNull()) return true;
    if (!v.isArray()) return false;
    return std::all_of(v.asArray().begin(), v.asArray().end(), [](const Value& s) { return s.isNull() || s.isString(); });
}

bool validAliasList(const Value& v) {
    if (v.isNull()) return true;
    if (!v.isArray()) return false;
    static const Schema kAlias = {{"name", Kind::String}, {"alias", Kind::String}, {"fork", Kind::Bool}};
    for (const Value& item : v.asArray()) {
        if (item.isNull()) continue;
        if (!item.isObject()) return false;
        try {
            decode(item, kAlias, true);
        } catch (const sdk::HttpError&) {
            return false;
        }
    }
    return true;
}

bool validMap(const Value& v, const MapKind& kind) {
    if (v.isNull()) return true;
    if (!v.isObject()) return false;
    return std::all_of(v.asObject().begin(), v.asObject().end(),
                       [&](const Value::Member& m) { return kind.validList(m.second); });
}

const MapKind kExcluded{"oauth-excluded-models", &normalizeExcludedMap, &validStringList, false};
const MapKind kAlias{"oauth-model-alias", &normalizeAliasMap, &validAliasList, true};

Value current(const sdk::ConfigSnapshot& snap, const MapKind& kind) {
    const Value* v = snap.root().find(kind.configKey);
    return v ? kind.normalize(*v) : Value::object();
}

void write(Value& root, const MapKind& kind, Value map) {
    if (map.size() > 0) {
        root.set(kind.configKey, std::move(map));
    } else if (kind.writeEmptyAsMapping && root.find(kind.configKey) != nullptr) {
        root.set(kind.configKey, Value::object());
    } else {
        root.erase(kind.configKey);
    }
}

/// PUT: a raw map, else {"items": map}; an object without `items` clears the map (as the original).
Value putBody(const std::string& body, const MapKind& kind) {
    Value doc;
    try {
        doc = sdk::parseJson(body, sdk::JsonMode::Document);
    } catch (const std::exception&) {
        invalidBody();
    }
    if (validMap(doc, kind)) return doc;
    if (!doc.isObject()) invalidBody();
    const Value* items = sdk::boundMember(doc, "items");
    if (items == nullptr) return Value();
    if (!validMap(*items, kind)) invalidBody();
    return *items;
}

/// Removes one channel: 404 `<what> not found` when absent.
void removeChannel(sdk::ConfigStore& cfg, const MapKind& kind, const std::string& channel, const char* what) {
    cfg.update([&](Value& root) {
        Value map = root.find(kind.configKey) ? kind.normalize(*root.find(kind.configKey)) : Value::object();
        if (!map.erase(channel)) throw sdk::HttpError(404, std::string(what) + " not found");
        write(root, kind, std::move(map));
    });
}

void setChannel(sdk::ConfigStore& cfg, const MapKind& kind, const std::string& channel, Value list) {
    cfg.update([&](Value& root) {
        Value map = root.find(kind.configKey) ? kind.normalize(*root.find(kind.configKey)) : Value::object();
        map.set(channel, std::move(list));
        write(root, kind, kind.normalize(map));
    });
}

void registerMapRoutes(sdk::RouteRegistry& routes, sdk::ConfigStore& config, const MapKind& kind) {
    const std::string path = std::string(sdk::kManagementBase) + "/" + kind.configKey;
    sdk::ConfigStore* cfg = &config;
    const MapKind* k = &kind;
    routes.route(sdk::Method::Get, path, sdk::Access::Management, [cfg, k](sdk::Request&, sdk::Response& res) {
        Value map = current(*cfg->snapshot(), *k);
        res.json(200, Value::object({{k->configKey, map.size() > 0 ? std::move(map) : Value()}}));
    });
    routes.route(sdk::Method::Put, path, sdk::Access::Management, [cfg, k](sdk::Request& req, sdk::Response& res) {
        const Value map = k->normalize(putBody(req.body(), *k));
        cfg->update([&](Value& root) { write(root, *k, map); });
        res.json(200, kOk);
    });
}

}  // namespace

Value normalizeExcludedMap(const Value& map) {
    std::map<std::string, Value> out;
    if (!map.isObject()) return Value::object();
    for (const auto& [rawKey, list] : map.asObject()) {
        const std::string key = lowerTrim(rawKey);
        if (key.empty() || !list.isArray()) continue;
        Value merged = out.count(key) ? out[key] : Value::array();
        for (const Value& m : list.asArray()) merged.push(m);
        out[key] = std::move(merged);
    }
    std::map<std::string, Value> clean;
    for (auto& [k, v] : out) {
        if (auto x = sdk::normalizeExcludedModels(v)) clean[k] = std::move(*x);
    }
    return sorted(clean);
}

Value normalizeAliasMap(const Value& map) {
    std::map<std::string, Value> out;
    if (!map.isObject()) return Value::object();
    for (const auto& [rawKey, list] : map.asObject()) {
        const std::string channel = lowerTrim(rawKey);
        if (channel.empty() || !list.isArray()) continue;
        Value clean = out.count(channel) ? out[channel] : Value::array();
        std::set<std::string> seen;
        for (const Value& item : clean.asArray()) seen.insert(lowerTrim(str(item, "alias")));
        for (const Value& item : list.asArray()) {
            const std::string name = sdk::trimSpace(str(item, "name"));
            const std::string alias = sdk::trimSpace(str(item, "alias"));
            if (name.empty() || alias.empty() || lowerTrim(name) == lowerTrim(alias)) continue;
            if (!seen.insert(lowerTrim(alias)).second) continue;
            Value a = Value::object({{"name", name}, {"alias", alias}});
            const Value* fork = item.isObject() ? item.find("fork") : nullptr;
            if (fork && fork->isBool() && fork->asBool()) a.set("fork", true);
            clean.push(std::move(a));
        }
        if (clean.size() > 0) out[channel] = std::move(clean);
    }
    return sorted(out);
}

void registerOAuthMaps(sdk::RouteRegistry& routes, sdk::ConfigStore& config) {
    sdk::ConfigStore* cfg = &config;
    registerMapRoutes(routes, config, kExcluded);
    registerMapRoutes(routes, config, kAlias);
    const std::string base = std::string(sdk::kManagementBase);

    routes.route(sdk::Method::Patch, base + "/oauth-excluded-models", sdk::Access::Management,
                 [cfg](sdk::Request& req, sdk::Response& res) {
                     const auto body = sdk::boundObject(req.body());
                     const Value* provider = body ? sdk::boundMember(*body, "provider") : nullptr;
                     const Value* models = body ? sdk::boundMember(*body, "models") : nullptr;
                     if (!provider || !provider->isString() || (models && !validStringList(*models))) invalidBody();
                     const std::string key = lowerTrim(provider->asString());
                     if (key.empty()) throw sdk::HttpError(400, "invalid provider");
                     auto list = models ? sdk::normalizeExcludedModels(*models) : std::nullopt;
                     if (list) {
                         setChannel(*cfg, kExcluded, key, std::move(*list));
                     } else {
                         removeChannel(*cfg, kExcluded, key, "provider");
                     }
                     res.json(200, kOk);
                 });
    routes.route(sdk::Method::Delete, base + "/oauth-excluded-models", sdk::Access::Management,
                 [cfg](sdk::Request& req, sdk::Response& res) {
                     const std::string key = lowerTrim(req.query("provider").value_or(""));
                     if (key.empty()) throw sdk::HttpError(400, "missing provider");
                     removeChannel(*cfg, kExcluded, key, "provider");
                     res.json(200, kOk);
                 });

    routes.route(sdk::Method::Patch, base + "/oauth-model-alias", sdk::Access::Management,
                 [cfg](sdk::Request& req, sdk::Response& res) {
                     const auto body = sdk::boundObject(req.body());
                     if (!body) invalidBody();
                     const Value* channelV = sdk::boundMember(*body, "channel");
                     const Value* providerV = sdk::boundMember(*body, "provider");
                     const Value* aliases = sdk::boundMember(*body, "aliases");
                     for (const Value* s : {channelV, providerV}) {
                         if (s && !s->isString()) invalidBody();
                     }
                     if (aliases && !validAliasList(*aliases)) invalidBody();
                     const Value* chosen = channelV ? channelV : providerV;
                     const std::string channel = lowerTrim(chosen ? chosen->asString() : std::string());
                     if (channel.empty()) throw sdk::HttpError(400, "invalid channel");
                     Value one = Value::object({{channel, aliases ? *aliases : Value::array()}});
                     Value normalized = normalizeAliasMap(one);
                     if (Value* list = normalized.find(channel)) {
                         setChannel(*cfg, kAlias, channel, std::move(*list));
                     } else {
                         removeChannel(*cfg, kAlias, channel, "channel");
                     }
                     res.json(200, kOk);
                 });
    routes.route(sdk::Method::Delete, base + "/oauth-model-alias", sdk::Access::Management,
                 [cfg](sdk::Request& req, sdk::Response& res) {
                     std::string channel = lowerTrim(req.query("channel").value_or(""));
                     if (channel.empty()) channel = lowerTrim(req.query("provider").value_or(""));
                     if (channel.empty()) throw sdk::HttpError(400, "missing channel");
                     removeChannel(*cfg, kAlias, channel, "channel");
                     res.json(200, kOk);
                 });
}

}  // namespace cpa::provider_keys
