#include "key_families.hpp"

#include "auth_index.hpp"

#include <cpa/sdk/errors.hpp>

#include <algorithm>
#include <set>
#include <utility>

namespace cpa::provider_keys {

using sdk::normalizeExcludedModels;
using sdk::normalizeHeaders;
using sdk::normalizeModelPrefix;
using sdk::trimSpace;

namespace {

void trimMember(Value& e, std::string_view key) { setOrErase(e, key, Value(trimSpace(str(e, key)))); }

void headersH(Value& e) {
    const Value* h = e.find("headers");
    setOrErase(e, "headers", h ? normalizeHeaders(*h) : std::nullopt);
}

void excludedX(Value& e) {
    const Value* x = e.find("excluded-models");
    setOrErase(e, "excluded-models", x ? normalizeExcludedModels(*x) : std::nullopt);
}

void prefixP(Value& e) { setOrErase(e, "prefix", Value(normalizeModelPrefix(str(e, "prefix")))); }

/// Model items: name and alias trimmed; dropped when both (or, requireBoth, either) are empty.
void cleanModels(Value& e, bool requireBoth) {
    Value* models = e.find("models");
    if (models == nullptr || !models->isArray()) return;
    Value::Array kept;
    for (Value m : models->asArray()) {
        const std::string name = trimSpace(str(m, "name"));
        const std::string alias = trimSpace(str(m, "alias"));
        if (requireBoth ? (name.empty() || alias.empty()) : (name.empty() && alias.empty())) continue;
        m.set("name", name);
        m.set("alias", alias);
        kept.push_back(std::move(m));
    }
    setOrErase(e, "models", Value(std::move(kept)));
}

/// The original's PATCH: each present member changes the entry; returns false
/// when the entry is to be deleted instead.
bool applyPatch(Value& entry, const Value& patch, bool emptyKeyDeletes, bool emptyBaseDeletes) {
    for (const auto& [name, value] : patch.asObject()) {
        if (name == "api-key" || name == "base-url") {
            const std::string t = trimSpace(value.asString());
            if (t.empty() && (name == "api-key" ? emptyKeyDeletes : emptyBaseDeletes)) return false;
            entry.set(name, t);
        } else if (name == "name" || name == "prefix" || name == "proxy-url") {
            entry.set(name, trimSpace(value.asString()));
        } else if (name == "headers") {
            setOrErase(entry, name, normalizeHeaders(value));
        } else if (name == "excluded-models") {
            setOrErase(entry, name, normalizeExcludedModels(value));
        } else {
            entry.set(name, value);  // models, api-key-entries, disabled: replaced as given
        }
    }
    return true;
}

}  // namespace

Value renderEntry(const Value& entry, const Schema& schema, const std::vector<const char*>& alwaysInGet) {
    Value out = Value::object();
    for (const Field& f : schema) {
        if (const Value* v = entry.find(f.name)) {
            out.set(f.name, *v);
            continue;
        }
        const bool always = std::any_of(alwaysInGet.begin(), alwaysInGet.end(),
                                        [&](const char* n) { return f.name == n; });
        if (!always) continue;
        if (f.kind == Kind::String) {
            out.set(f.name, "");
        } else if (f.kind == Kind::Bool) {
            out.set(f.name, false);
        } else {
            out.set(f.name, Value());
        }
    }
    return out;
}

sdk::KeyListSpec makeSpec(FamilyRules rules, std::function<void(Value::Array&, const Value&)> authIndex) {
    sdk::KeyListSpec spec;
    spec.configKey = rules.configKey;
    const auto r = std::make_shared<const FamilyRules>(std::move(rules));
    spec.checkEntry = [r](const Value& e) { decode(e, r->schema, true); };
    spec.normalizeEntry = [r](const Value& raw, const sdk::KeyListEntryContext& ctx) -> std::optional<Value> {
        Value e = decode(raw, r->schema, false);
        if (ctx.stage != sdk::KeyListStage::Stored && r->normalize) r->normalize(e);
        if (ctx.stage == sdk::KeyListStage::Put && r->putCheck) r->putCheck(e, ctx.index);
        if (r->sanitize && !r->sanitize(e)) return std::nullopt;
        compact(e);
        return e;
    };
    if (r->dedupKeyAndBase) {
        spec.normalizeList = [](Value::Array& list) {
            std::set<std::pair<std::string, std::string>> seen;
            std::erase_if(list, [&](const Value& e) {
                return !seen.emplace(str(e, "api-key"), str(e, "base-url")).second;
            });
        };
    }
    spec.applyPatch = [r](Value& entry, const Value& patch) {
        return applyPatch(entry, decode(patch, r->patchSchema, true), r->emptyKeyDeletes, r->emptyBaseDeletes);
    };
    spec.decorate = [r, authIndex](Value::Array& list, const Value& root) {
        if (authIndex) authIndex(list, root);  // on the stored shape, before rendering
        for (Value& e : list) {
            Value shaped = renderEntry(e, r->schema, r->alwaysInGet);
            if (const Value* ai = e.find("auth-index")) shaped.set("auth-index", *ai);
            e = std::move(shaped);
        }
    };
    return spec;
}

sdk::KeyListSpec geminiSpec() {
    FamilyRules r;
    r.configKey = "gemini-api-key";
    r.schema = {{"api-key", Kind::String},   {"priority", Kind::Int},     {"prefix", Kind::String},
                {"base-url", Kind::String},  {"proxy-url", Kind::String}, {"models", Kind::Models},
                {"headers", Kind::StringMap}, {"excluded-models", Kind::StringList}};
    r.patchSchema = {{"api-key", Kind::String},   {"prefix", Kind::String},   {"base-url", Kind::String},
                     {"proxy-url", Kind::String}, {"headers", Kind::StringMap}, {"excluded-models", Kind::StringList}};
    r.alwaysInGet = {"api-key"};
    r.sanitize = [](Value& e) {
        trimMember(e, "api-key");
        if (str(e, "api-key").empty()) return false;
        prefixP(e);
        trimMember(e, "base-url");
        trimMember(e, "proxy-url");
        headersH(e);
        excludedX(e);
        return true;
    };
    r.dedupKeyAndBase = true;
    r.emptyKeyDeletes = true;
    sdk::KeyListSpec spec = makeSpec(std::move(r), keyFamilyAuthIndex("gemini", false, true));
    spec.deleteRule.notFoundIs404 = true;
    return spec;
}

sdk::KeyListSpec claudeSpec() {
    FamilyRules r;
    r.configKey = "claude-api-key";
    r.schema = {{"api-key", Kind::String},    {"priority", Kind::Int},
                {"prefix", Kind::String},     {"base-url", Kind::String},
                {"proxy-url", Kind::String},  {"models", Kind::Models},
                {"headers", Kind::StringMap}, {"excluded-models", Kind::StringList},
                {"cloak", Kind::Object},      {"experimental-cch-signing", Kind::Bool}};
    r.patchSchema = {{"api-key", Kind::String},   {"prefix", Kind::String}, {"base-url", Kind::String},
                     {"proxy-url", Kind::String}, {"models", Kind::Models}, {"headers", Kind::StringMap},
                     {"excluded-models", Kind::StringList}};
    r.alwaysInGet = {"api-key", "base-url", "proxy-url", "models"};
    r.normalize = [](Value& e) {
        for (const char* k : {"api-key", "base-url", "proxy-url"}) trimMember(e, k);
        headersH(e);
        excludedX(e);
        cleanModels(e, false);
    };
    r.sanitize = [](Value& e) {
        prefixP(e);
        headersH(e);
        excludedX(e);
        return true;
    };
    sdk::KeyListSpec spec = makeSpec(std::move(r), keyFamilyAuthIndex("claude", false, true));
    spec.patchSelector.emptyMatches = true;
    return spec;
}

sdk::KeyListSpec codexSpec() {
    FamilyRules r;
    r.configKey = "codex-api-key";
    r.schema = {{"api-key", Kind::String},   {"priority", Kind::Int},      {"prefix", Kind::String},
                {"base-url", Kind::String},  {"websockets", Kind::Bool},   {"proxy-url", Kind::String},
                {"models", Kind::Models},    {"headers", Kind::StringMap}, {"excluded-models", Kind::StringList}};
    r.patchSchema = {{"api-key", Kind::String},   {"prefix", Kind::String}, {"base-url", Kind::String},
                     {"proxy-url", Kind::String}, {"models", Kind::Models}, {"headers", Kind::StringMap},
                     {"excluded-models", Kind::StringList}};
    r.alwaysInGet = {"api-key", "base-url", "proxy-url", "models"};
    r.normalize = [](Value& e) {
        for (const char* k : {"api-key", "prefix", "base-url", "proxy-url"}) trimMember(e, k);
        headersH(e);
        excludedX(e);
        cleanModels(e, false);
    };
    r.sanitize = [](Value& e) {
        prefixP(e);
        trimMember(e, "base-url");
        headersH(e);
        excludedX(e);
        return !str(e, "base-url").empty();
    };
    r.emptyBaseDeletes = true;
    sdk::KeyListSpec spec = makeSpec(std::move(r), keyFamilyAuthIndex("codex", false, true));
    spec.patchSelector.emptyMatches = true;
    return spec;
}

sdk::KeyListSpec vertexSpec() {
    FamilyRules r;
    r.configKey = "vertex-api-key";
    r.schema = {{"api-key", Kind::String},   {"priority", Kind::Int},      {"prefix", Kind::String},
                {"base-url", Kind::String},  {"proxy-url", Kind::String},  {"headers", Kind::StringMap},
                {"models", Kind::Models},    {"excluded-models", Kind::StringList}};
    r.patchSchema = {{"api-key", Kind::String},   {"prefix", Kind::String},    {"base-url", Kind::String},
                     {"proxy-url", Kind::String}, {"headers", Kind::StringMap}, {"models", Kind::Models},
                     {"excluded-models", Kind::StringList}};
    r.alwaysInGet = {"api-key"};
    const auto perEntry = [](Value& e) {
        for (const char* k : {"api-key", "prefix", "base-url", "proxy-url"}) trimMember(e, k);
        headersH(e);
        excludedX(e);
        cleanModels(e, true);
    };
    r.normalize = perEntry;
    r.putCheck = [](const Value& e, std::size_t i) {
        if (str(e, "api-key").empty()) {
            throw sdk::HttpError(400, "vertex-api-key[" + std::to_string(i) + "].api-key is required");
        }
    };
    r.sanitize = [perEntry](Value& e) {
        perEntry(e);
        if (str(e, "api-key").empty()) return false;
        prefixP(e);
        return true;
    };
    r.dedupKeyAndBase = true;
    r.emptyKeyDeletes = true;
    r.emptyBaseDeletes = true;
    return makeSpec(std::move(r), keyFamilyAuthIndex("vertex", true, false));
}

}  // namespace cpa::provider_keys
