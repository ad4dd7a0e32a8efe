#include "registry/credential.hpp"

#include "registry/catalog.hpp"
#include "routing/model_name.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/json.hpp>

#include <set>

namespace cpa::proxy {

namespace {

std::string stringField(const sdk::Value& entry, std::string_view key) {
    const sdk::Value* v = entry.find(key);
    return v ? trimAscii(v->stringOr("")) : std::string();
}

int intField(const sdk::Value& entry, std::string_view key) {
    const sdk::Value* v = entry.find(key);
    if (!v) return 0;
    if (v->isInt()) return static_cast<int>(v->asInt());
    if (v->isString()) {
        try {
            return std::stoi(trimAscii(v->asString()));
        } catch (...) {
            return 0;
        }
    }
    return 0;
}

HeaderList headersOf(const sdk::Value& entry) {
    HeaderList out;
    const sdk::Value* h = entry.find("headers");
    if (!h || !h->isObject()) return out;
    for (const auto& [k, v] : h->asObject()) {
        std::string key = trimAscii(k);
        std::string value = trimAscii(v.stringOr(""));
        if (key.empty() || value.empty()) continue;
        out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

std::vector<ModelMapping> modelsOf(const sdk::Value& entry, bool requireBoth) {
    std::vector<ModelMapping> out;
    const sdk::Value* list = entry.find("models");
    if (!list || !list->isArray()) return out;
    for (const sdk::Value& m : list->asArray()) {
        if (!m.isObject()) continue;
        ModelMapping mm{stringField(m, "name"), stringField(m, "alias")};
        if (requireBoth && (mm.name.empty() || mm.alias.empty())) continue;
        if (mm.name.empty() && mm.alias.empty()) continue;
        out.push_back(std::move(mm));
    }
    return out;
}

std::vector<std::string> excludedOf(const sdk::Value& entry) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    const sdk::Value* list = entry.find("excluded-models");
    if (!list || !list->isArray()) return out;
    for (const sdk::Value& v : list->asArray()) {
        std::string p = lowerAscii(trimAscii(v.stringOr("")));
        if (!p.empty() && seen.insert(p).second) out.push_back(std::move(p));
    }
    return out;
}

/// The provider entry without its key list: what all key entries share.
sdk::Value sharedPart(const sdk::Value& entry) {
    sdk::Value copy = entry;
    copy.erase("api-key-entries");
    return copy;
}

sdk::Value withId(const sdk::Value& model, const std::string& id) {
    sdk::Value copy = model;
    copy.set("id", id);
    return copy;
}

}  // namespace

std::string normalisePrefix(const std::string& raw) {
    std::string p = trimAscii(raw);
    while (!p.empty() && p.front() == '/') p.erase(p.begin());
    while (!p.empty() && p.back() == '/') p.pop_back();
    if (p.find('/') != std::string::npos) return {};
    return p;
}

std::vector<CredentialPtr> credentialsFromConfig(const sdk::Value& root) {
    std::vector<CredentialPtr> out;
    for (const sdk::ConfigCredential& cc : sdk::synthesizeConfigCredentials(root)) {
        auto cred = std::make_shared<Credential>();
        auto up = std::make_shared<UpstreamCredential>();
        up->id = cc.id;
        up->authIndex = cc.authIndex;
        up->providerKey = cc.providerKey;
        up->family = cc.family;
        up->apiKey = cc.apiKey;
        up->baseUrl = cc.baseUrl;
        up->proxyUrl = cc.proxyUrl;
        up->headers = headersOf(cc.entry);
        cred->id = cc.id;
        cred->providerKey = cc.providerKey;
        cred->family = cc.family;
        cred->prefix = normalisePrefix(stringField(cc.entry, "prefix"));
        cred->priority = intField(cc.entry, "priority");
        cred->models = modelsOf(cc.entry, cc.family == "vertex-api-key");
        cred->hasModelList = !cred->models.empty();
        if (cc.family == "openai-compatibility") {
            cred->ownerName = stringField(cc.entry, "name");
        } else {
            cred->excludedModels = excludedOf(cc.entry);
        }
        const sdk::Value shared = cc.family == "openai-compatibility" ? sharedPart(cc.entry) : cc.entry;
        cred->fingerprint = sdk::toJson(sdk::Value::object({{"id", cc.id},
                                                             {"key", cc.apiKey},
                                                             {"base", cc.baseUrl},
                                                             {"proxy", cc.proxyUrl},
                                                             {"source", cc.source},
                                                             {"entry", shared}}));
        cred->upstream = std::move(up);
        out.push_back(std::move(cred));
    }
    return out;
}

std::vector<sdk::Value> offeredModels(const Credential& cred, bool forceModelPrefix, std::int64_t nowUnix) {
    std::vector<sdk::Value> models;
    if (cred.isCompat()) {
        // One model per entry: id = alias or name; no dedup, no exclusions (§5.1).
        for (const ModelMapping& m : cred.models) {
            const std::string id = m.alias.empty() ? m.name : m.alias;
            models.push_back(sdk::Value::object({{"id", id},
                                                 {"object", "model"},
                                                 {"created", nowUnix},
                                                 {"owned_by", cred.ownerName},
                                                 {"type", "openai-compatibility"},
                                                 {"display_name", id}}));
        }
    } else {
        std::string owner, type, section;
        if (cred.family == "gemini-api-key") owner = "google", type = "gemini", section = "gemini";
        else if (cred.family == "vertex-api-key") owner = "google", type = "vertex", section = "vertex";
        else if (cred.family == "claude-api-key") owner = "anthropic", type = "claude", section = "claude";
        else owner = "openai", type = "openai", section = "codex-pro";
        if (cred.hasModelList) {
            std::set<std::string> seen;
            for (const ModelMapping& m : cred.models) {
                const std::string id = m.alias.empty() ? m.name : m.alias;
                if (!seen.insert(lowerAscii(id)).second) continue;
                sdk::Value info = sdk::Value::object({{"id", id},
                                                      {"object", "model"},
                                                      {"created", nowUnix},
                                                      {"owned_by", owner},
                                                      {"type", type},
                                                      {"display_name", m.name.empty() ? id : m.name}});
                if (const sdk::Value* known = m.name.empty() ? nullptr : catalogLookup(m.name))
                    if (const sdk::Value* thinking = known->find("thinking")) info.set("thinking", *thinking);
                models.push_back(std::move(info));
            }
        } else {
            models = catalogSection(section);
        }
        if (cred.family == "codex-api-key") {
            // The built-in image model replaces a same-id entry (upsert) or is appended.
            sdk::Value image = sdk::Value::object({{"id", "gpt-image-2"},
                                                   {"object", "model"},
                                                   {"created", 1704067200},
                                                   {"owned_by", "openai"},
                                                   {"type", "openai"},
                                                   {"display_name", "GPT Image 2"},
                                                   {"version", "gpt-image-2"}});
            bool replaced = false;
            for (sdk::Value& m : models)
                if (lowerAscii(m.find("id")->stringOr("")) == "gpt-image-2") m = image, replaced = true;
            if (!replaced) models.push_back(std::move(image));
        }
        if (!cred.excludedModels.empty()) {
            std::vector<sdk::Value> kept;
            for (sdk::Value& m : models) {
                const std::string id = lowerAscii(m.find("id")->stringOr(""));
                bool excluded = false;
                for (const std::string& p : cred.excludedModels) excluded = excluded || matchModelPattern(p, id);
                if (!excluded) kept.push_back(std::move(m));
            }
            models = std::move(kept);
        }
    }
    if (cred.prefix.empty()) return models;
    std::vector<sdk::Value> out;
    std::set<std::string> seen;
    for (const sdk::Value& m : models) {
        const std::string id = trimAscii(m.find("id")->stringOr(""));
        if (id.empty()) continue;
        if ((!forceModelPrefix || cred.prefix == id) && seen.insert(id).second) out.push_back(withId(m, id));
        const std::string prefixed = cred.prefix + "/" + id;
        if (seen.insert(prefixed).second) out.push_back(withId(m, prefixed));
    }
    return out;
}

}  // namespace cpa::proxy
