// openai-compatibility (management-api-core.md §5.11.6).
#include "auth_index.hpp"
#include "key_families.hpp"

#include <set>

namespace cpa::provider_keys {

namespace {

void trimMember(Value& e, std::string_view key) { setOrErase(e, key, Value(sdk::trimSpace(str(e, key)))); }

void headersH(Value& e) {
    const Value* h = e.find("headers");
    setOrErase(e, "headers", h ? sdk::normalizeHeaders(*h) : std::nullopt);
}

/// Legacy entry-level `api-keys` (the pre-api-key-entries format) become key
/// entries instead of being dropped (spec note in management-api-core.md §5.11.6; a data-loss fix).
void migrateLegacyKeys(const Value& raw, Value& e) {
    const Value* legacy = raw.isObject() ? raw.find("api-keys") : nullptr;
    if (legacy == nullptr || !legacy->isArray()) return;
    Value entries = e.find("api-key-entries") ? *e.find("api-key-entries") : Value::array();
    std::set<std::string> present;
    for (const Value& k : entries.asArray()) present.insert(sdk::trimSpace(str(k, "api-key")));
    for (const Value& k : legacy->asArray()) {
        const std::string key = sdk::trimSpace(k.isString() ? k.asString() : std::string());
        if (key.empty() || !present.insert(key).second) continue;
        entries.push(Value::object({{"api-key", key}}));
    }
    setOrErase(e, "api-key-entries", std::move(entries));
}

}  // namespace

sdk::KeyListSpec openAICompatSpec() {
    FamilyRules r;
    r.configKey = "openai-compatibility";
    r.schema = {{"name", Kind::String},       {"priority", Kind::Int},
                {"disabled", Kind::Bool},     {"prefix", Kind::String},
                {"base-url", Kind::String},   {"api-key-entries", Kind::KeyEntries},
                {"models", Kind::ModelsThinking}, {"headers", Kind::StringMap}};
    r.patchSchema = {{"name", Kind::String},     {"prefix", Kind::String},
                     {"disabled", Kind::Bool},   {"base-url", Kind::String},
                     {"api-key-entries", Kind::KeyEntries}, {"models", Kind::ModelsThinking},
                     {"headers", Kind::StringMap}};
    r.alwaysInGet = {"name", "disabled", "base-url"};
    r.normalize = [](Value& e) {
        trimMember(e, "base-url");
        headersH(e);
        if (Value* keys = e.find("api-key-entries"); keys && keys->isArray()) {
            for (Value& k : keys->asArray()) k.set("api-key", sdk::trimSpace(str(k, "api-key")));
        }
    };
    r.sanitize = [](Value& e) {
        trimMember(e, "name");
        setOrErase(e, "prefix", Value(sdk::normalizeModelPrefix(str(e, "prefix"))));
        trimMember(e, "base-url");
        headersH(e);
        return !str(e, "base-url").empty();
    };
    r.emptyBaseDeletes = true;
    sdk::KeyListSpec spec = makeSpec(std::move(r), openAICompatAuthIndex());
    // Legacy keys are read from the raw entry, which only normalizeEntry sees.
    spec.normalizeEntry = [inner = spec.normalizeEntry](const Value& raw, const sdk::KeyListEntryContext& ctx)
        -> std::optional<Value> {
        std::optional<Value> e = inner(raw, ctx);
        if (e) migrateLegacyKeys(raw, *e);
        return e;
    };
    spec.patchSelector = {"name", "name", true};
    spec.deleteRule = sdk::KeyListDeleteRule{"name", "name", false, "", "", false, false, "missing name or index", ""};
    return spec;
}

}  // namespace cpa::provider_keys
