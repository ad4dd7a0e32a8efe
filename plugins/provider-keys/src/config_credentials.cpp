#include "config_credentials.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/text.hpp>

#include <map>
#include <set>
#include <utility>

namespace cpa::provider_keys {

namespace {

using sdk::Value;

std::string field(const Value& entry, std::string_view key) {
    const Value* v = entry.isObject() ? entry.find(key) : nullptr;
    return v && v->isString() ? sdk::trimAscii(v->asString()) : std::string();
}

const Value::Array* list(const Value& root, std::string_view key) {
    const Value* v = root.isObject() ? root.find(key) : nullptr;
    return v && v->isArray() ? &v->asArray() : nullptr;
}

ConfigCredential finish(ConfigCredential c, sdk::CredentialIdGenerator& ids, std::string_view kind,
                        std::initializer_list<std::string_view> parts, std::string_view label) {
    auto id = ids.next(kind, parts);
    c.id = std::move(id.id);
    c.token = std::move(id.token);
    c.source = "config:" + std::string(label) + "[" + c.token + "]";
    c.authIndex = sdk::configAuthIndex(sdk::ConfigSeed{c.providerKey, c.compatName, c.baseUrl, c.proxyUrl,
                                                       c.apiKey, c.source});
    return c;
}

/// One of the four single-key families and how it is served.
struct KeyFamily {
    std::string_view configKey;  ///< the config list
    std::string_view provider;   ///< routing key
    std::string_view label;      ///< source label (config:<label>[token])
    std::string_view wire;       ///< sdk::wire::k…
    std::string_view logLabel;   ///< request-log label
    bool dedup;                  ///< drop repeated api-key+base-url
    bool needsBaseUrl;
    bool proxyInId;
};

constexpr KeyFamily kKeyFamilies[] = {
    {"gemini-api-key", "gemini", "gemini", sdk::wire::kGemini, "gemini-apikey", true, false, false},
    {"vertex-api-key", "vertex", "vertex-apikey", sdk::wire::kVertex, "vertex-apikey", true, false, true},
    {"claude-api-key", "claude", "claude", sdk::wire::kClaudeMessages, "claude-apikey", false, false, false},
    {"codex-api-key", "codex", "codex", sdk::wire::kCodexResponses, "codex-apikey", false, true, false},
};
constexpr std::string_view kCompatKey = "openai-compatibility";

const KeyFamily* familyOf(std::string_view configKey) {
    for (const KeyFamily& f : kKeyFamilies)
        if (f.configKey == configKey) return &f;
    return nullptr;
}

// gemini, vertex, claude, codex: one credential per entry.
void keyFamily(const Value& root, const KeyFamily& f, sdk::CredentialIdGenerator& ids,
               std::vector<ConfigCredential>& out) {
    const auto* entries = list(root, f.configKey);
    if (!entries) return;
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const Value& e = (*entries)[i];
        ConfigCredential c;
        c.family = std::string(f.configKey);
        c.entryIndex = i;
        c.providerKey = std::string(f.provider);
        c.apiKey = field(e, "api-key");
        c.baseUrl = field(e, "base-url");
        c.proxyUrl = field(e, "proxy-url");
        if (c.apiKey.empty()) continue;
        if (f.needsBaseUrl && c.baseUrl.empty()) continue;
        if (f.dedup && !seen.emplace(c.apiKey, c.baseUrl).second) continue;
        c.entry = e;
        const std::string kind = std::string(f.provider) + ":apikey";
        if (f.proxyInId) {
            out.push_back(finish(std::move(c), ids, kind, {field(e, "api-key"), field(e, "base-url"),
                                                          field(e, "proxy-url")}, f.label));
        } else {
            out.push_back(finish(std::move(c), ids, kind, {field(e, "api-key"), field(e, "base-url")}, f.label));
        }
    }
}

void compatFamily(const Value& root, sdk::CredentialIdGenerator& ids, std::vector<ConfigCredential>& out) {
    const auto* providers = list(root, kCompatKey);
    if (!providers) return;
    for (std::size_t i = 0; i < providers->size(); ++i) {
        const Value& p = (*providers)[i];
        if (!p.isObject()) continue;
        if (const Value* d = p.find("disabled"); d && d->isBool() && d->asBool()) continue;
        const std::string baseUrl = field(p, "base-url");
        if (baseUrl.empty()) continue;
        const std::string name = sdk::lowerAscii(field(p, "name"));
        const std::string providerKey = name.empty() ? std::string(kCompatKey) : name;
        const std::string kind = std::string(kCompatKey) + ":" + providerKey;
        ConfigCredential base;
        base.family = std::string(kCompatKey);
        base.entryIndex = i;
        base.providerKey = providerKey;
        base.compatName = name;
        base.baseUrl = baseUrl;
        base.entry = p;
        const auto* keys = list(p, "api-key-entries");
        if (!keys || keys->empty()) {
            out.push_back(finish(base, ids, kind, {baseUrl}, providerKey));
            continue;
        }
        for (std::size_t k = 0; k < keys->size(); ++k) {
            ConfigCredential c = base;
            c.keyEntryIndex = k;
            c.apiKey = field((*keys)[k], "api-key");
            c.proxyUrl = field((*keys)[k], "proxy-url");
            const std::string apiKey = c.apiKey, proxy = c.proxyUrl;
            out.push_back(finish(std::move(c), ids, kind, {apiKey, baseUrl, proxy}, providerKey));
        }
    }
}

std::string droppedLine(std::string_view family, std::size_t i, const std::string& why) {
    return std::string(family) + "[" + std::to_string(i) + "] dropped: " + why;
}

void droppedKeyEntries(const Value& root, const KeyFamily& f, std::vector<std::string>& out) {
    const auto* entries = list(root, f.configKey);
    if (!entries) return;
    std::map<std::pair<std::string, std::string>, std::size_t> seen;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const Value& e = (*entries)[i];
        if (!e.isObject()) {
            out.push_back(droppedLine(f.configKey, i, "not a mapping (expected api-key:, base-url:, ...)"));
            continue;
        }
        const std::string key = field(e, "api-key"), base = field(e, "base-url");
        if (key.empty()) {
            out.push_back(droppedLine(f.configKey, i, "api-key is empty or missing"));
        } else if (f.needsBaseUrl && base.empty()) {
            out.push_back(droppedLine(f.configKey, i, "base-url is required for this provider"));
        } else if (f.dedup) {
            const auto [it, fresh] = seen.emplace(std::make_pair(key, base), i);
            if (!fresh) {
                out.push_back(droppedLine(f.configKey, i, "same api-key and base-url as entry " +
                                                              std::to_string(it->second)));
            }
        }
    }
}

void droppedCompatEntries(const Value& root, std::vector<std::string>& out) {
    const auto* providers = list(root, kCompatKey);
    if (!providers) return;
    for (std::size_t i = 0; i < providers->size(); ++i) {
        const Value& p = (*providers)[i];
        if (!p.isObject()) {
            out.push_back(droppedLine(kCompatKey, i, "not a mapping (expected name:, base-url:, ...)"));
        } else if (const Value* d = p.find("disabled"); d && d->isBool() && d->asBool()) {
            continue;
        } else if (field(p, "base-url").empty()) {
            out.push_back(droppedLine(kCompatKey, i, "base-url is empty or missing"));
        }
    }
}

}  // namespace

std::vector<std::string> droppedConfigEntries(const Value& root) {
    std::vector<std::string> out;
    for (const KeyFamily& f : kKeyFamilies) droppedKeyEntries(root, f, out);
    droppedCompatEntries(root, out);
    return out;
}

std::vector<ConfigCredential> synthesizeConfigCredentials(const Value& root) {
    std::vector<ConfigCredential> out;
    sdk::CredentialIdGenerator ids;
    for (const KeyFamily& f : kKeyFamilies) keyFamily(root, f, ids, out);
    compatFamily(root, ids, out);
    return out;
}

sdk::CredentialSet contributedCredentials(const Value& root) {
    sdk::CredentialSet out;
    for (ConfigCredential& cc : synthesizeConfigCredentials(root)) {
        const KeyFamily* f = familyOf(cc.family);
        sdk::ContributedCredential c;
        // Vertex model entries need both name and alias (data-plane.md §5.1).
        sdk::readCommonEntryFields(c, cc.entry, f && f->configKey == "vertex-api-key");
        if (f) {
            c.wire = std::string(f->wire);
            c.label = std::string(f->logLabel);
        } else {  // openai-compatibility: the provider's name as configured; no exclusions (data-plane.md §5.1)
            c.wire = std::string(sdk::wire::kOpenAIChat);
            c.label = field(cc.entry, "name");
            c.excludedModels.clear();
        }
        c.id = std::move(cc.id);
        c.authIndex = std::move(cc.authIndex);
        c.provider = std::move(cc.providerKey);
        c.family = std::move(cc.family);
        c.apiKey = std::move(cc.apiKey);
        c.baseUrl = std::move(cc.baseUrl);
        c.proxyUrl = std::move(cc.proxyUrl);  // a compat key entry's own
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace cpa::provider_keys
