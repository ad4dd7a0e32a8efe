#include <cpa/sdk/credential_identity.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

namespace cpa::sdk {

namespace {

std::string trim(std::string_view s) {
    const auto isSpace = [](unsigned char c) { return std::isspace(c) != 0; };
    while (!s.empty() && isSpace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && isSpace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

Poco::DigestEngine::Digest sha256(std::string_view data) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(data.data(), static_cast<unsigned>(data.size()));
    return engine.digest();
}

std::string hex(const Poco::DigestEngine::Digest& d, std::size_t bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes * 2);
    for (std::size_t i = 0; i < bytes && i < d.size(); ++i) {
        out.push_back(kDigits[d[i] >> 4]);
        out.push_back(kDigits[d[i] & 0x0f]);
    }
    return out;
}

std::string field(const Value& entry, std::string_view key) {
    const Value* v = entry.isObject() ? entry.find(key) : nullptr;
    return v && v->isString() ? trim(v->asString()) : std::string();
}

const Value::Array* list(const Value& root, std::string_view key) {
    const Value* v = root.isObject() ? root.find(key) : nullptr;
    return v && v->isArray() ? &v->asArray() : nullptr;
}

ConfigCredential finish(ConfigCredential c, CredentialIdGenerator& ids, std::string_view kind,
                        std::initializer_list<std::string_view> parts, std::string_view label) {
    auto id = ids.next(kind, parts);
    c.id = std::move(id.id);
    c.token = std::move(id.token);
    c.source = "config:" + std::string(label) + "[" + c.token + "]";
    c.authIndex = configAuthIndex(ConfigSeed{c.providerKey, c.compatName, c.baseUrl, c.proxyUrl,
                                             c.apiKey, c.source});
    return c;
}

// gemini, vertex, claude, codex: one credential per entry.
void keyFamily(const Value& root, std::string_view family, std::string_view provider,
               std::string_view label, bool dedup, bool needsBaseUrl, bool proxyInId,
               CredentialIdGenerator& ids, std::vector<ConfigCredential>& out) {
    const auto* entries = list(root, family);
    if (!entries) return;
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const Value& e = (*entries)[i];
        ConfigCredential c;
        c.family = std::string(family);
        c.entryIndex = i;
        c.providerKey = std::string(provider);
        c.apiKey = field(e, "api-key");
        c.baseUrl = field(e, "base-url");
        c.proxyUrl = field(e, "proxy-url");
        if (c.apiKey.empty()) continue;
        if (needsBaseUrl && c.baseUrl.empty()) continue;
        if (dedup && !seen.emplace(c.apiKey, c.baseUrl).second) continue;
        c.entry = e;
        const std::string kind = std::string(provider) + ":apikey";
        if (proxyInId) {
            out.push_back(finish(std::move(c), ids, kind, {field(e, "api-key"), field(e, "base-url"),
                                                          field(e, "proxy-url")}, label));
        } else {
            out.push_back(finish(std::move(c), ids, kind, {field(e, "api-key"), field(e, "base-url")}, label));
        }
    }
}

void compatFamily(const Value& root, CredentialIdGenerator& ids, std::vector<ConfigCredential>& out) {
    const auto* providers = list(root, "openai-compatibility");
    if (!providers) return;
    for (std::size_t i = 0; i < providers->size(); ++i) {
        const Value& p = (*providers)[i];
        if (!p.isObject()) continue;
        if (const Value* d = p.find("disabled"); d && d->isBool() && d->asBool()) continue;
        const std::string baseUrl = field(p, "base-url");
        if (baseUrl.empty()) continue;
        const std::string name = lower(field(p, "name"));
        const std::string providerKey = name.empty() ? "openai-compatibility" : name;
        const std::string kind = "openai-compatibility:" + providerKey;
        ConfigCredential base;
        base.family = "openai-compatibility";
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

}  // namespace

std::string sha256Hex(std::string_view data) { return hex(sha256(data), 32); }

std::string authIndexFromSeed(std::string_view seed) { return hex(sha256(seed), 8); }

std::string fileAuthIndex(std::string_view relativeName) {
    return authIndexFromSeed("file:" + std::string(relativeName));
}

std::string configAuthIndex(const ConfigSeed& s) {
    std::string seed = "config:provider=" + s.providerKey;
    const auto add = [&seed](std::string_view name, const std::string& value) {
        if (value.empty()) return;
        seed.push_back('\0');
        seed.append(name).push_back('=');
        seed.append(value);
    };
    add("compat", s.compatName);
    add("base", s.baseUrl);
    add("proxy", s.proxyUrl);
    add("api_key", s.apiKey);
    add("source", s.source);
    return authIndexFromSeed(seed);
}

CredentialIdGenerator::Id CredentialIdGenerator::next(std::string_view kind,
                                                      std::initializer_list<std::string_view> parts) {
    std::string data(kind);
    for (auto part : parts) {
        data.push_back('\0');
        data += trim(part);
    }
    std::string token = hex(sha256(data), 6);
    const std::string key = std::string(kind) + ":" + token;
    const int n = seen_[key]++;
    if (n > 0) token += "-" + std::to_string(n);
    return Id{std::string(kind) + ":" + token, token};
}

std::vector<ConfigCredential> synthesizeConfigCredentials(const Value& root) {
    std::vector<ConfigCredential> out;
    CredentialIdGenerator ids;
    keyFamily(root, "gemini-api-key", "gemini", "gemini", true, false, false, ids, out);
    keyFamily(root, "vertex-api-key", "vertex", "vertex-apikey", true, false, true, ids, out);
    keyFamily(root, "claude-api-key", "claude", "claude", false, false, false, ids, out);
    keyFamily(root, "codex-api-key", "codex", "codex", false, true, false, ids, out);
    compatFamily(root, ids, out);
    return out;
}

}  // namespace cpa::sdk
