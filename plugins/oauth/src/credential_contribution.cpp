#include "credential_contribution.hpp"

#include "auth_file_entry.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/key_list_resource.hpp>
#include <cpa/sdk/text.hpp>

#include <algorithm>
#include <set>

namespace cpa::oauth {

namespace {

void addPatterns(std::set<std::string>& out, const sdk::Value* list) {
    if (!list || !list->isArray()) return;
    for (const sdk::Value& v : list->asArray()) {
        if (!v.isString()) continue;
        std::string p = sdk::trimAscii(v.asString());
        std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return std::tolower(c); });
        if (!p.empty()) out.insert(p);
    }
}

std::vector<std::string> excludedModels(const StoredCredential& rec, const sdk::ConfigSnapshot* config) {
    std::set<std::string> out;
    const sdk::Value* own = rec.metadata.find("excluded_models");
    addPatterns(out, own ? own : rec.metadata.find("excluded-models"));
    if (const sdk::Value* all = config ? config->find("oauth-excluded-models") : nullptr; all && all->isObject())
        for (const auto& [provider, list] : all->asObject())
            if (sdk::trimAscii(provider) == rec.provider) addPatterns(out, &list);
    return {out.begin(), out.end()};
}

std::string sanitizeProject(std::string p) {
    for (char& c : p)
        if (c == '/' || c == '\\' || c == ' ') c = '_';
    return p;
}

/// What an executor needs beyond the token (oauth-executors.md §1.3): not
/// secret, so it travels in the contribution.
sdk::Value executorAttributes(const StoredCredential& rec) {
    sdk::Value a = sdk::Value::object();
    const auto copy = [&](const char* key) {
        if (const std::string v = metaString(rec.metadata, key); !v.empty()) a.set(key, v);
    };
    if (rec.provider == "gemini-cli" || rec.provider == "antigravity") copy("project_id");
    if (rec.provider == "antigravity") copy("base_url"), copy("user_agent");
    if (rec.provider == "kimi") copy("device_id");
    return a;
}

/// A Gemini CLI file with several projects (`a,b,c`): one credential per
/// project, `<id>::<project>`, sharing the file's token
/// (oauth-executors.md §1.2, §5.2); ids, labels and auth indexes as the listing shows them.
void addVirtualProjects(sdk::CredentialSet& out, const sdk::ContributedCredential& base, const StoredCredential& rec,
                        const std::vector<std::string>& projects) {
    for (const std::string& p : projects) {
        sdk::ContributedCredential c = base;
        c.id = rec.id + "::" + sanitizeProject(p);
        c.authIndex = sdk::fileAuthIndex(rec.fileName + "#" + p);
        c.label = rec.label + " [" + p + "]";
        c.attributes.set("project_id", p);
        c.attributes.set("token_id", rec.id);
        c.attributes.set("account_projects", static_cast<long long>(projects.size()));
        out.push_back(std::move(c));
    }
}

/// `oauth-model-alias[<type>]` (channel = the file's type,
/// oauth-executors.md §1.4) as the data plane applies it: [{name, alias,
/// fork}], blank or identity entries dropped.
sdk::Value modelAliases(const StoredCredential& rec, const sdk::ConfigSnapshot* config) {
    sdk::Value out = sdk::Value::array();
    const sdk::Value* all = config ? config->find("oauth-model-alias") : nullptr;
    if (!all || !all->isObject()) return out;
    for (const auto& [channel, list] : all->asObject()) {
        std::string c = sdk::trimAscii(channel);
        std::transform(c.begin(), c.end(), c.begin(), [](unsigned char ch) { return std::tolower(ch); });
        if (c != rec.provider || !list.isArray()) continue;
        for (const sdk::Value& e : list.asArray()) {
            if (!e.isObject()) continue;
            const sdk::Value* n = e.find("name");
            const sdk::Value* a = e.find("alias");
            const sdk::Value* f = e.find("fork");
            const std::string name = n && n->isString() ? sdk::trimAscii(n->asString()) : "";
            const std::string alias = a && a->isString() ? sdk::trimAscii(a->asString()) : "";
            if (name.empty() || alias.empty() || sdk::iequals(name, alias)) continue;
            out.push(sdk::Value::object({{"name", name}, {"alias", alias}, {"fork", f && f->isBool() && f->asBool()}}));
        }
    }
    return out;
}

}  // namespace

std::string oauthExecutorKind(std::string_view provider) { return "oauth:" + std::string(provider); }

sdk::CredentialSet fileContributions(const std::vector<StoredPtr>& records, const sdk::ConfigSnapshot* config) {
    sdk::CredentialSet out;
    out.reserve(records.size());
    for (const StoredPtr& rec : records) {
        if (rec->disabled) continue;
        sdk::ContributedCredential c;
        c.id = rec->id;
        c.authIndex = rec->authIndex;
        c.provider = rec->provider;
        c.wire = oauthExecutorKind(rec->provider);
        c.family = std::string(kAuthFileFamily);
        c.label = rec->label;
        c.proxyUrl = metaString(rec->metadata, "proxy_url");
        c.prefix = sdk::normalizeModelPrefix(metaString(rec->metadata, "prefix"));
        if (const sdk::Value* p = rec->metadata.find("priority"); p && p->isInt()) c.priority = static_cast<int>(p->asInt());
        c.excludedModels = excludedModels(*rec, config);
        if (rec->provider == "codex") {
            const sdk::Value claims = codexIdTokenClaims(rec->metadata);
            const sdk::Value* plan = claims.isObject() ? claims.find("plan_type") : nullptr;
            if (plan && plan->isString()) c.attributes = sdk::Value::object({{"plan_type", plan->asString()}});
        } else {
            c.attributes = executorAttributes(*rec);
        }
        // Aliases first: every credential of the file offers them, each project's included.
        if (sdk::Value aliases = modelAliases(*rec, config); !aliases.asArray().empty()) {
            if (!c.attributes.isObject()) c.attributes = sdk::Value::object();
            c.attributes.set("model_alias", std::move(aliases));
        }
        if (const std::vector<std::string> projects = virtualProjects(*rec); !projects.empty()) {
            addVirtualProjects(out, c, *rec, projects);
            continue;  // the primary serves nothing itself
        }
        // Tokens stay in the credential store (refreshes rewrite the file); an
        // executor for the kind reads them there by id.
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace cpa::oauth
