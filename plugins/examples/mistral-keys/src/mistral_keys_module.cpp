// Example third-party module: a provider-key family of its own with the SDK's
// KeyListResource, whose keys serve traffic: every entry is contributed to
// cpa.CredentialSources/1 and the proxy module routes it over the
// OpenAI-compatible wire. Config (config.yaml):
//
//   mistral-api-key:
//     - api-key: "sk-..."
//       base-url: "https://api.mistral.ai/v1"   # optional (this default)
//       models: ["mistral-large-latest"]        # the models it serves
//
// POST /v1/chat/completions {"model":"mistral-large-latest",...} then goes to
// <base-url>/chat/completions with `Authorization: Bearer sk-...`.
//
// Endpoints (management key required), with the built-in families' rules:
//   GET    /v0/management/mistral-api-key
//   PUT    /v0/management/mistral-api-key    [ {...}, ... ] or {"items": [...]}
//   PATCH  /v0/management/mistral-api-key    {"index": n | "match": "<api-key>", "value": {...}}
//   DELETE /v0/management/mistral-api-key    ?api-key=<k>[&base-url=<u>] | ?index=n
#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/key_list_resource.hpp>
#include <cpa/sdk/plugin.hpp>

#include <memory>
#include <set>
#include <stdexcept>

namespace example {

using cpa::sdk::HttpError;
using cpa::sdk::KeyListEntryContext;
using cpa::sdk::KeyListStage;
using cpa::sdk::Value;

namespace {

/// A member that must be a string when present (null counts as absent).
std::string text(const Value& entry, const char* key, bool strict) {
    const Value* v = entry.find(key);
    if (v == nullptr || v->isNull()) return {};
    if (v->isString()) return v->asString();
    if (strict) throw HttpError(400, "invalid body");
    return {};
}

/// A list of model names; strings only.
Value models(const Value& entry, bool strict) {
    Value out = Value::array();
    const Value* v = entry.find("models");
    if (v == nullptr || v->isNull()) return out;
    if (!v->isArray()) {
        if (strict) throw HttpError(400, "invalid body");
        return out;
    }
    for (const Value& m : v->asArray()) {
        if (!m.isString()) {
            if (strict) throw HttpError(400, "invalid body");
            continue;
        }
        if (std::string name = cpa::sdk::trimSpace(m.asString()); !name.empty()) out.push(name);
    }
    return out;
}

/// PUT items: wrong JSON types answer 400 "invalid body" before anything is stored.
void checkTypes(const Value& e) {
    text(e, "api-key", true);
    text(e, "base-url", true);
    models(e, true);
}

/// The stored form: api-key (required), base-url and models when non-empty.
std::optional<Value> normalize(const Value& raw, const KeyListEntryContext& ctx) {
    const bool strict = ctx.stage == KeyListStage::Put;
    const std::string key = cpa::sdk::trimSpace(text(raw, "api-key", strict));
    if (key.empty()) {
        if (strict) throw HttpError(400, "mistral-api-key[" + std::to_string(ctx.index) + "].api-key is required");
        return std::nullopt;  // a hand-edited entry without a key is ignored
    }
    Value out = Value::object({{"api-key", key}});
    if (std::string base = cpa::sdk::trimSpace(text(raw, "base-url", strict)); !base.empty()) out.set("base-url", base);
    if (Value m = models(raw, strict); m.size() > 0) out.set("models", std::move(m));
    return out;
}

/// PATCH: api-key, base-url and models may change; an empty api-key deletes the entry.
bool applyPatch(Value& entry, const Value& patch) {
    if (patch.find("api-key") != nullptr) {
        const std::string key = cpa::sdk::trimSpace(text(patch, "api-key", true));
        if (key.empty()) return false;
        entry.set("api-key", key);
    }
    if (patch.find("base-url") != nullptr) entry.set("base-url", cpa::sdk::trimSpace(text(patch, "base-url", true)));
    if (patch.find("models") != nullptr) entry.set("models", models(patch, true));
    return true;
}

constexpr std::string_view kConfigKey = "mistral-api-key";
constexpr std::string_view kDefaultBaseUrl = "https://api.mistral.ai/v1";

/// The entries of `root` as credentials: stable ids and auth indexes from the
/// SDK's identity helpers, the OpenAI-compatible wire, the entry's models.
cpa::sdk::CredentialSet credentials(const Value& root) {
    cpa::sdk::CredentialSet out;
    const Value* list = root.find(kConfigKey);
    if (list == nullptr || !list->isArray()) return out;
    cpa::sdk::CredentialIdGenerator ids;
    const Value::Array& entries = list->asArray();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::optional<Value> entry = normalize(entries[i], {KeyListStage::Stored, i});
        if (!entry) continue;
        cpa::sdk::ContributedCredential c;
        cpa::sdk::readCommonEntryFields(c, *entry);  // models, headers, prefix, priority, proxy-url
        c.apiKey = entry->find("api-key")->asString();
        const Value* base = entry->find("base-url");
        c.baseUrl = base ? base->asString() : std::string(kDefaultBaseUrl);
        const auto id = ids.next("mistral:apikey", {c.apiKey, c.baseUrl});
        c.id = id.id;
        c.authIndex = cpa::sdk::configAuthIndex({"mistral", "", c.baseUrl, c.proxyUrl, c.apiKey,
                                                 "config:mistral[" + id.token + "]"});
        c.provider = "mistral";
        c.wire = std::string(cpa::sdk::wire::kOpenAIChat);
        c.family = std::string(kConfigKey);
        c.label = "mistral-apikey";
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace

class MistralKeysModule : public cpa::sdk::Module {
public:
    void configure(cpa::sdk::ModuleContext& context) override {
        // Contribute now and again on every config change (writes and reloads).
        std::shared_ptr<cpa::sdk::CredentialSources> sources = context.services().get(cpa::sdk::kCredentialSourcesService);
        if (!sources) throw std::runtime_error("mistral-keys: no credential sources service");
        cpa::sdk::Logger* log = &context.logger();
        const auto contribute = [sources, log](const Value& root) noexcept {
            try {
                sources->publish("mistral-keys", credentials(root));
            } catch (const std::exception& e) {
                log->error(std::string("mistral-keys: keys not contributed: ") + e.what());
            }
        };
        contribute(context.config().snapshot()->root());
        subscription_ = context.config().subscribe([contribute](const cpa::sdk::SnapshotPtr& s) { contribute(s->root()); });

        cpa::sdk::KeyListSpec spec;
        spec.configKey = std::string(kConfigKey);
        spec.checkEntry = checkTypes;
        spec.normalizeEntry = normalize;
        spec.normalizeList = [](Value::Array& list) {  // one entry per (api-key, base-url)
            std::set<std::pair<std::string, std::string>> seen;
            std::erase_if(list, [&](const Value& e) {
                const Value* base = e.find("base-url");
                return !seen.emplace(e.find("api-key")->asString(), base ? base->asString() : "").second;
            });
        };
        spec.applyPatch = applyPatch;
        spec.deleteRule.notFoundIs404 = true;
        resource_ = std::make_unique<cpa::sdk::KeyListResource>(context.config(), std::move(spec));
    }

    void registerRoutes(cpa::sdk::RouteRegistry& routes) override { resource_->registerRoutes(routes); }
    void stop() noexcept override { subscription_.reset(); }

private:
    std::unique_ptr<cpa::sdk::KeyListResource> resource_;
    cpa::sdk::Subscription subscription_;  // released in stop(): the listener is this library's code
};

}  // namespace example

CPA_PLUGIN(example::MistralKeysModule, "mistral-keys", "1.0.0")
