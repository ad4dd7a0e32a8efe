#include "registry/credential.hpp"

#include "registry/catalog.hpp"
#include "routing/model_name.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/token_source.hpp>

#include <set>

namespace cpa::proxy {

namespace {

sdk::Value withId(const sdk::Value& model, const std::string& id) {
    sdk::Value copy = model;
    copy.set("id", id);
    return copy;
}

/// Every attribute of a contribution: a change replaces the credential (data-plane.md §4.2).
std::string fingerprintOf(const sdk::ContributedCredential& c) {
    sdk::Value::Array headers, models, excluded;
    for (const auto& [k, v] : c.headers) headers.push_back(sdk::Value(sdk::Value::Array{sdk::Value(k), sdk::Value(v)}));
    for (const auto& m : c.models) models.push_back(sdk::Value(sdk::Value::Array{sdk::Value(m.name), sdk::Value(m.alias)}));
    for (const auto& x : c.excludedModels) excluded.emplace_back(x);
    return sdk::toJson(sdk::Value::object({{"id", c.id},
                                           {"index", c.authIndex},
                                           {"provider", c.provider},
                                           {"wire", c.wire},
                                           {"family", c.family},
                                           {"label", c.label},
                                           {"key", c.apiKey},
                                           {"base", c.baseUrl},
                                           {"proxy", c.proxyUrl},
                                           {"headers", sdk::Value(std::move(headers))},
                                           {"models", sdk::Value(std::move(models))},
                                           {"excluded", sdk::Value(std::move(excluded))},
                                           {"priority", static_cast<std::int64_t>(c.priority)},
                                           {"prefix", c.prefix},
                                           {"attributes", c.attributes}}));
}

/// The `model_alias` attribute of an OAuth file's contribution (the oauth module
/// copies `oauth-model-alias[<type>]` there): blank or identity entries dropped.
std::vector<OAuthModelAlias> oauthAliasesOf(const sdk::Value& attributes) {
    std::vector<OAuthModelAlias> out;
    const sdk::Value* list = attributes.isObject() ? attributes.find("model_alias") : nullptr;
    if (!list || !list->isArray()) return out;
    for (const sdk::Value& e : list->asArray()) {
        if (!e.isObject()) continue;
        const sdk::Value* n = e.find("name");
        const sdk::Value* a = e.find("alias");
        const sdk::Value* f = e.find("fork");
        OAuthModelAlias m{trimAscii(n ? n->stringOr("") : ""), trimAscii(a ? a->stringOr("") : ""),
                          f && f->isBool() && f->asBool()};
        if (m.name.empty() || m.alias.empty() || lowerAscii(m.name) == lowerAscii(m.alias)) continue;
        out.push_back(std::move(m));
    }
    return out;
}

std::string aliasFingerprint(const std::vector<OAuthModelAlias>& aliases) {
    std::string out;
    for (const auto& a : aliases) out += "\n" + a.name + "\t" + a.alias + (a.fork ? "\tfork" : "");
    return out;
}

/// oauth-executors.md §1.4 step 3: a model named by an entry is offered under
/// each alias (the `models/<id>` name rewritten too); the name itself only when
/// one of its entries forks (or no alias could be added). First id wins.
std::vector<sdk::Value> applyOAuthAliases(std::vector<sdk::Value> models, const std::vector<OAuthModelAlias>& aliases) {
    std::vector<sdk::Value> out;
    std::set<std::string> seen;
    const auto add = [&](sdk::Value m) {
        const sdk::Value* id = m.find("id");
        if (id && seen.insert(lowerAscii(id->stringOr(""))).second) out.push_back(std::move(m));
    };
    for (sdk::Value& m : models) {
        const std::string id = m.find("id") ? m.find("id")->stringOr("") : "";
        bool keep = false, named = false;
        std::vector<sdk::Value> copies;
        for (const OAuthModelAlias& a : aliases) {
            if (lowerAscii(a.name) != lowerAscii(id)) continue;
            named = true;
            keep = keep || a.fork;
            sdk::Value copy = withId(m, a.alias);
            if (const sdk::Value* name = copy.find("name"); name && name->isString() &&
                                                             name->asString().rfind("models/", 0) == 0)
                copy.set("name", "models/" + a.alias);
            copies.push_back(std::move(copy));
        }
        if (!named) {
            add(std::move(m));
            continue;
        }
        const std::size_t before = out.size();
        sdk::Value original = m;
        for (sdk::Value& c : copies) add(std::move(c));
        if (keep || out.size() == before) add(std::move(original));
    }
    return out;
}

}  // namespace

std::string Credential::oauthUpstreamFor(std::string_view model) const {
    if (oauthAliases.empty()) return {};
    const SplitModel split = splitThinkingSuffix(model);
    for (const std::string_view candidate : {std::string_view(split.base), model}) {
        const std::string key = lowerAscii(candidate);
        for (const OAuthModelAlias& a : oauthAliases)
            if (lowerAscii(a.alias) == key) return stripThinkingSuffix(a.name);
    }
    return {};
}

/// oauth-executors.md §1.4: a Codex file's catalogue section follows its plan.
std::string codexPlanSection(const sdk::Value& attributes) {
    const sdk::Value* plan = attributes.isObject() ? attributes.find("plan_type") : nullptr;
    const std::string p = lowerAscii(plan ? plan->stringOr("") : "");
    if (p == "plus") return "codex-plus";
    if (p == "team" || p == "business" || p == "go") return "codex-team";
    if (p == "free") return "codex-free";
    return "codex-pro";
}

namespace {

/// A configured base URL: trimmed, without trailing slashes ("" stays "").
std::string baseUrlOf(std::string_view text) {
    std::string url = trimAscii(text);
    while (url.size() > 1 && url.back() == '/') url.pop_back();
    return url;
}

/// Gemini CLI, Kimi and Antigravity files (issue 21): base URL, catalogue section and what
/// the executor needs of the file (oauth-executors.md §1.3, §5).
void applyFileAttributes(Credential& cred, UpstreamCredential& up, const sdk::ContributedCredential& cc,
                         const OAuthUpstreams& upstreams) {
    const auto attr = [&cc](const char* key) {
        const sdk::Value* v = cc.attributes.isObject() ? cc.attributes.find(key) : nullptr;
        return v && v->isString() ? v->asString() : std::string();
    };
    if (cc.wire == oauth_wire::kAntigravity) {
        const std::string own = baseUrlOf(attr("base_url"));
        up.baseUrls = own.empty() ? upstreams.antigravity : std::vector<std::string>{own};
        up.project = attr("project_id");
        up.userAgent = attr("user_agent");
        cred.catalogSection = "antigravity";
    } else if (cc.wire == oauth_wire::kGeminiCli) {
        up.baseUrl = upstreams.geminiCli;
        up.project = attr("project_id");
        up.tokenId = attr("token_id");
        cred.catalogSection = "gemini-cli";
        cred.accountKey = up.tokenId.empty() ? cc.id : up.tokenId;
    } else {
        up.baseUrl = upstreams.kimi;
        up.deviceId = attr("device_id");
        cred.catalogSection = "kimi";
    }
}

}  // namespace

bool executableWire(std::string_view wire) {
    wire = builderWire(wire);
    return wire == sdk::wire::kOpenAIChat || wire == sdk::wire::kClaudeMessages || wire == sdk::wire::kGemini ||
           wire == sdk::wire::kVertex || wire == sdk::wire::kCodexResponses ||
           wire == oauth_wire::kCodeAssistBuilder || wire == oauth_wire::kKimiBuilder ||
           wire == oauth_wire::kAntigravityBuilder;
}

OAuthUpstreams oauthUpstreamsFrom(const sdk::ConfigSnapshot& s) {
    OAuthUpstreams u;
    const auto base = [&s](const char* key, std::string& out) {
        if (std::string v = baseUrlOf(s.getString(std::string("oauth-upstreams.") + key, "")); !v.empty()) out = v;
    };
    base("claude", u.claude);
    base("codex", u.codex);
    base("gemini-cli", u.geminiCli);
    base("kimi", u.kimi);
    // Antigravity: one URL or a list, tried in order; blank entries dropped.
    if (const sdk::Value* ag = s.find("oauth-upstreams.antigravity")) {
        std::vector<std::string> urls;
        const auto add = [&urls](const sdk::Value& v) {
            if (std::string url = baseUrlOf(v.stringOr("")); !url.empty()) urls.push_back(std::move(url));
        };
        if (ag->isArray()) {
            for (const sdk::Value& v : ag->asArray()) add(v);
        } else {
            add(*ag);
        }
        if (!urls.empty()) u.antigravity = std::move(urls);
    }
    return u;
}

std::vector<CredentialPtr> routableCredentials(const sdk::CredentialSet& contributed, sdk::Logger& logger,
                                               const OAuthUpstreams& upstreams) {
    std::vector<CredentialPtr> out;
    out.reserve(contributed.size());
    for (const sdk::ContributedCredential& cc : contributed) {
        if (!executableWire(cc.wire)) {
            logger.debug("proxy: credential " + cc.id + " (" + cc.family + ") not routed: no executor for kind '" +
                         cc.wire + "'");
            continue;
        }
        auto cred = std::make_shared<Credential>();
        auto up = std::make_shared<UpstreamCredential>();
        up->id = cc.id;
        up->authIndex = cc.authIndex;
        up->providerKey = cc.provider;
        up->wire = cc.wire;
        up->apiKey = cc.apiKey;
        up->baseUrl = cc.baseUrl;
        up->oauth = isOAuthWire(cc.wire);
        if (cc.wire == sdk::wire::kOAuthClaude) up->baseUrl = upstreams.claude;
        if (cc.wire == sdk::wire::kOAuthCodex) {
            up->baseUrl = upstreams.codex;
            cred->catalogSection = codexPlanSection(cc.attributes);
        }
        if (cc.wire == oauth_wire::kGeminiCli || cc.wire == oauth_wire::kKimi || cc.wire == oauth_wire::kAntigravity)
            applyFileAttributes(*cred, *up, cc, upstreams);
        if (up->oauth) cred->oauthAliases = oauthAliasesOf(cc.attributes);
        up->proxyUrl = cc.proxyUrl;
        up->headers = cc.headers;
        cred->id = cc.id;
        cred->providerKey = cc.provider;
        cred->family = cc.family;
        cred->wire = cc.wire;
        cred->label = cc.label;
        cred->prefix = cc.prefix;
        cred->priority = cc.priority;
        cred->models = cc.models;
        cred->hasModelList = !cred->models.empty();
        cred->excludedModels = cc.excludedModels;
        cred->fingerprint = fingerprintOf(cc) + up->baseUrl + cred->catalogSection + aliasFingerprint(cred->oauthAliases);
        for (const std::string& u : up->baseUrls) cred->fingerprint += "\n" + u;
        cred->upstream = std::move(up);
        out.push_back(std::move(cred));
    }
    return out;
}

namespace {

/// An openai-compatibility credential: one model per entry, id = alias or name;
/// no dedup, no exclusions (data-plane.md §5.1).
std::vector<sdk::Value> compatModels(const Credential& cred, std::int64_t nowUnix) {
    std::vector<sdk::Value> models;
    for (const ModelMapping& m : cred.models) {
        const std::string id = m.alias.empty() ? m.name : m.alias;
        models.push_back(sdk::Value::object({{"id", id},
                                             {"object", "model"},
                                             {"created", nowUnix},
                                             {"owned_by", cred.label},
                                             {"type", "openai-compatibility"},
                                             {"display_name", id}}));
    }
    return models;
}

/// The built-in image model replaces a same-id entry (upsert) or is appended.
void upsertImageModel(std::vector<sdk::Value>& models) {
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

/// data-plane.md §5.2: lower-cased ids matched against the credential's patterns.
void dropExcluded(std::vector<sdk::Value>& models, const std::vector<std::string>& patterns) {
    std::vector<sdk::Value> kept;
    for (sdk::Value& m : models) {
        const std::string id = lowerAscii(m.find("id")->stringOr(""));
        bool excluded = false;
        for (const std::string& p : patterns) excluded = excluded || matchModelPattern(p, id);
        if (!excluded) kept.push_back(std::move(m));
    }
    models = std::move(kept);
}

/// The other credentials: their model list, else the built-in catalogue
/// section of their wire format; then exclusions and OAuth aliases.
std::vector<sdk::Value> nativeModels(const Credential& cred, std::int64_t nowUnix) {
    std::vector<sdk::Value> models;
    // Listing fields and the built-in catalogue section per wire format.
    std::string owner, type, section;
    const std::string_view wire = builderWire(cred.wire);
    if (wire == sdk::wire::kGemini) owner = "google", type = "gemini", section = "gemini";
    else if (wire == sdk::wire::kVertex) owner = "google", type = "vertex", section = "vertex";
    else if (wire == sdk::wire::kClaudeMessages) owner = "anthropic", type = "claude", section = "claude";
    else if (wire == oauth_wire::kCodeAssistBuilder) owner = "google", type = "gemini", section = "gemini-cli";
    else if (wire == oauth_wire::kKimiBuilder) owner = "moonshot", type = "kimi", section = "kimi";
    else if (wire == oauth_wire::kAntigravityBuilder) owner = "antigravity", type = "antigravity", section = "antigravity";
    else owner = "openai", type = "openai", section = "codex-pro";
    // The shipped catalogue has the pro list only; plus offers the same,
    // team and free lack the spark model (oauth-executors.md §1.4).
    const bool sparkless = cred.catalogSection == "codex-team" || cred.catalogSection == "codex-free";
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
        if (sparkless)
            std::erase_if(models, [](const sdk::Value& m) {
                return m.find("id") && m.find("id")->stringOr("") == "gpt-5.3-codex-spark";
            });
    }
    if (wire == sdk::wire::kCodexResponses) upsertImageModel(models);
    if (!cred.excludedModels.empty()) dropExcluded(models, cred.excludedModels);
    if (!cred.oauthAliases.empty()) models = applyOAuthAliases(std::move(models), cred.oauthAliases);
    return models;
}

/// Each model under its prefixed id, and under its own id too unless
/// force-model-prefix is set (data-plane.md §5.3).
std::vector<sdk::Value> withPrefix(const std::vector<sdk::Value>& models, const std::string& prefix,
                                   bool forceModelPrefix) {
    std::vector<sdk::Value> out;
    std::set<std::string> seen;
    for (const sdk::Value& m : models) {
        const std::string id = trimAscii(m.find("id")->stringOr(""));
        if (id.empty()) continue;
        if ((!forceModelPrefix || prefix == id) && seen.insert(id).second) out.push_back(withId(m, id));
        const std::string prefixed = prefix + "/" + id;
        if (seen.insert(prefixed).second) out.push_back(withId(m, prefixed));
    }
    return out;
}

}  // namespace

std::vector<sdk::Value> offeredModels(const Credential& cred, bool forceModelPrefix, std::int64_t nowUnix) {
    std::vector<sdk::Value> models = cred.isCompat() ? compatModels(cred, nowUnix) : nativeModels(cred, nowUnix);
    if (cred.prefix.empty()) return models;
    return withPrefix(models, cred.prefix, forceModelPrefix);
}

}  // namespace cpa::proxy
