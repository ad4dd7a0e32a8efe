// Example third-party module: a provider-key family of its own with the SDK's
// KeyListResource. Config (config.yaml):
//
//   mistral-api-key:
//     - api-key: "sk-..."
//       base-url: "https://api.mistral.ai"   # optional
//       models: ["mistral-large-latest"]     # optional
//
// Endpoints (management key required), with the built-in families' rules:
//   GET    /v0/management/mistral-api-key
//   PUT    /v0/management/mistral-api-key    [ {...}, ... ] or {"items": [...]}
//   PATCH  /v0/management/mistral-api-key    {"index": n | "match": "<api-key>", "value": {...}}
//   DELETE /v0/management/mistral-api-key    ?api-key=<k>[&base-url=<u>] | ?index=n
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/key_list_resource.hpp>
#include <cpa/sdk/plugin.hpp>

#include <memory>
#include <set>

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

}  // namespace

class MistralKeysModule : public cpa::sdk::Module {
public:
    void configure(cpa::sdk::ModuleContext& context) override {
        cpa::sdk::KeyListSpec spec;
        spec.configKey = "mistral-api-key";
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

private:
    std::unique_ptr<cpa::sdk::KeyListResource> resource_;
};

}  // namespace example

CPA_PLUGIN(example::MistralKeysModule, "mistral-keys", "1.0.0")
