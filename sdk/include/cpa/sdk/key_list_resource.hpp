#pragma once
// KeyListResource: the GET/PUT/PATCH/DELETE machinery of a provider-key
// family, i.e. a list of entry objects under one top-level config key
// (management-api-core.md §3.5, §5.11). The built-in families and
// third-party plugins use it; a family only supplies its rules.
//
// Minimal use (a plugin's configure/registerRoutes):
//
//   cpa::sdk::KeyListSpec spec;
//   spec.configKey = "mistral-api-key";            // route: /v0/management/mistral-api-key
//   spec.normalizeEntry = [](const Value& e, const KeyListEntryContext&) -> std::optional<Value> {
//       std::string key = cpa::sdk::trimSpace(e.find("api-key") ? e.find("api-key")->stringOr("") : "");
//       if (key.empty()) return std::nullopt;       // drop entries without a key
//       return Value::object({{"api-key", key}});
//   };
//   spec.applyPatch = [](Value& entry, const Value& patch) { ...; return true; };
//   resource_ = std::make_unique<cpa::sdk::KeyListResource>(context.config(), spec);
//   ...
//   resource_->registerRoutes(routes);
//
// Every write goes through ConfigStore::update, so a request that is
// rejected (any HttpError thrown by a callback) or fails to persist changes
// nothing; concurrent requests are serialised by the store.
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/value.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::sdk {

/// Where an entry being normalised comes from.
enum class KeyListStage {
    Stored,  ///< read from the config (GET, and the list a PATCH/DELETE starts from)
    Put,     ///< an item of a PUT body (already passed checkEntry)
    Patched  ///< the target of a PATCH after applyPatch
};

struct KeyListEntryContext {
    KeyListStage stage;
    std::size_t index;  ///< position in the PUT body, or in the current list
};

/// How PATCH finds its target when `index` is absent or out of range.
struct KeyListSelector {
    std::string bodyMember = "match";  ///< member of the PATCH body holding the selector
    std::string field = "api-key";     ///< entry member compared (exactly) with the trimmed selector
    bool emptyMatches = false;         ///< whether an empty selector may match an empty field
};

/// DELETE by key (optionally narrowed by a scope parameter) or ?index=.
struct KeyListDeleteRule {
    std::string keyParam = "api-key";  ///< query parameter naming entries
    std::string keyField = "api-key";  ///< entry member it is compared with
    bool trim = true;                  ///< trim parameter and field before comparing
    /// When this parameter is present in the query (even empty), every entry
    /// matching key and scope (both trimmed) is removed. Empty = no scope.
    std::string scopeParam = "base-url";
    std::string scopeField = "base-url";
    /// Without scope: more than one match → 400 ambiguousMessage, else remove
    /// the match. When false, every match is removed.
    bool requireUnique = true;
    /// Nothing matched → 404 {"error":"item not found"} (else 200, nothing removed).
    bool notFoundIs404 = false;
    std::string missingMessage = "missing api-key or index";
    std::string ambiguousMessage = "multiple items match api-key; base-url is required";
};

struct KeyListSpec {
    /// Top-level config key; also the member name of the GET response.
    std::string configKey;
    /// Route; empty = kManagementBase + "/" + configKey.
    std::string path;

    /// Optional: checks one PUT item (a JSON object; null items arrive as {})
    /// before anything is normalised; throw HttpError(400, "invalid body") for
    /// type errors. Runs over the whole body first, as the original decodes
    /// the whole body before normalising.
    std::function<void(const Value& entry)> checkEntry;
    /// Required: entry → normalised entry, or nullopt to drop it. May throw
    /// HttpError to reject the request (e.g. a required member missing on PUT).
    /// Must accept whatever a config file may hold at stage Stored.
    std::function<std::optional<Value>(const Value& entry, const KeyListEntryContext& ctx)> normalizeEntry;
    /// Optional: whole-list rules after the entries (de-duplication, ...).
    std::function<void(Value::Array& list)> normalizeList;
    /// Required: applies the PATCH `value` object to the target entry; return
    /// false to delete the entry instead. Also called once on an empty object
    /// before the target is looked up, so type errors answer 400 before 404;
    /// it must therefore only depend on its arguments.
    std::function<bool(Value& entry, const Value& patch)> applyPatch;
    KeyListSelector patchSelector;
    KeyListDeleteRule deleteRule;
    /// Optional: turns the current list into the GET response's list (shape,
    /// extra members such as `auth-index`). `root` is the whole config.
    std::function<void(Value::Array& list, const Value& root)> decorate;
};

class CPA_SDK_API KeyListResource {
public:
    /// Throws std::invalid_argument when configKey, normalizeEntry or applyPatch is
    /// missing. Declares configKey in `store` (ConfigStore::declare), so the
    /// family's list is a known key of config.yaml.
    KeyListResource(ConfigStore& store, KeyListSpec spec);
    ~KeyListResource();

    const KeyListSpec& spec() const noexcept { return spec_; }
    const std::string& path() const noexcept { return path_; }

    /// The list as the endpoints see it: every stored entry normalised
    /// (stage Stored), then normalizeList. Not decorated.
    Value::Array current(const Value& root) const;

    /// GET, PUT, PATCH and DELETE on path() with Access::Management. The
    /// handlers keep a pointer to this object: it must outlive the routes
    /// (a module member is fine; the core clears routes before modules).
    void registerRoutes(RouteRegistry& routes) const;

    /// 200 {"<configKey>": [...]} (always an array).
    void handleGet(const Request& req, Response& res) const;
    /// Raw array (null or [] clear the list) or {"items": [...]} with a non-empty items.
    void handlePut(const Request& req, Response& res) const;
    /// {"index": n, "<selector>": s, "value": {...}}.
    void handlePatch(const Request& req, Response& res) const;
    /// ?<keyParam>=&[<scopeParam>=] or ?index=.
    void handleDelete(const Request& req, Response& res) const;

private:
    void write(Value& root, Value::Array list) const;

    ConfigStore* store_;
    KeyListSpec spec_;
    std::string path_;
};

// ---- normalisation helpers (management-api-core.md Appendix A) ----

/// Removes leading and trailing Unicode white space (UTF-8), like Go's strings.TrimSpace.
CPA_SDK_API std::string trimSpace(std::string_view s);
/// H: names and values trimmed, pairs with an empty side dropped, sorted by
/// name; nullopt when nothing remains or `headers` is not an object.
/// Non-string scalar values are rendered as text.
CPA_SDK_API std::optional<Value> normalizeHeaders(const Value& headers);
/// X: items trimmed and lower-cased, empties and repeats dropped; nullopt
/// when nothing remains or `models` is not an array.
CPA_SDK_API std::optional<Value> normalizeExcludedModels(const Value& models);
/// P: trimmed, outer '/' stripped, "" when a '/' remains.
CPA_SDK_API std::string normalizeModelPrefix(std::string_view prefix);
/// ?index= like C scanf("%d"): leading white space, optional sign, digits,
/// trailing garbage ignored; nullopt without digits or on overflow.
CPA_SDK_API std::optional<std::int64_t> parseIndexParam(std::string_view text);

}  // namespace cpa::sdk
