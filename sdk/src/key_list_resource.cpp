#include <cpa/sdk/key_list_resource.hpp>

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

namespace cpa::sdk {

namespace {

const Value kOk = Value::object({{"status", "ok"}});

[[noreturn]] void invalidBody() { throw HttpError(400, "invalid body"); }

std::string text(const Value* v) {
    if (v == nullptr) return {};
    switch (v->type()) {
    case Value::Type::String: return v->asString();
    case Value::Type::Bool: return v->asBool() ? "true" : "false";
    case Value::Type::Int: return std::to_string(v->asInt());
    case Value::Type::Double: return toJson(*v);
    default: return {};
    }
}

std::string fieldText(const Value& entry, const std::string& field) {
    return entry.isObject() ? text(entry.find(field)) : std::string();
}

// Length of a UTF-8 white-space code point starting at s[i] (0 if none).
std::size_t spaceAt(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    const auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    if (c == 0xC2 && (at(1) == 0x85 || at(1) == 0xA0)) return 2;
    if (c == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return 3;  // U+1680
    if (c == 0xE2 && at(1) == 0x80 && (at(2) <= 0x8A || at(2) == 0xA8 || at(2) == 0xA9 || at(2) == 0xAF)) return 3;
    if (c == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return 3;  // U+205F
    if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;  // U+3000
    return 0;
}

}  // namespace

// ---- helpers ----

std::string trimSpace(std::string_view s) {
    std::size_t begin = 0;
    while (begin < s.size()) {
        const std::size_t n = spaceAt(s, begin);
        if (n == 0) break;
        begin += n;
    }
    std::size_t end = s.size();
    while (end > begin) {
        // Find the start of the last code point and test it.
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        const std::size_t n = spaceAt(s, start);
        if (n == 0 || start + n != end) break;
        end = start;
    }
    return std::string(s.substr(begin, end - begin));
}

std::optional<Value> normalizeHeaders(const Value& headers) {
    if (!headers.isObject()) return std::nullopt;
    std::map<std::string, std::string> kept;
    for (const auto& [name, value] : headers.asObject()) {
        std::string n = trimSpace(name);
        std::string v = trimSpace(text(&value));
        if (!n.empty() && !v.empty()) kept[std::move(n)] = std::move(v);
    }
    if (kept.empty()) return std::nullopt;
    Value out = Value::object();
    for (auto& [n, v] : kept) out.set(n, std::move(v));
    return out;
}

std::optional<Value> normalizeExcludedModels(const Value& models) {
    if (!models.isArray()) return std::nullopt;
    Value out = Value::array();
    std::set<std::string> seen;
    for (const Value& item : models.asArray()) {
        std::string m = trimSpace(text(&item));
        std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (m.empty() || !seen.insert(m).second) continue;
        out.push(std::move(m));
    }
    if (out.size() == 0) return std::nullopt;
    return out;
}

std::string normalizeModelPrefix(std::string_view prefix) {
    std::string s = trimSpace(prefix);
    const auto first = s.find_first_not_of('/');
    if (first == std::string::npos) return {};
    s = s.substr(first, s.find_last_not_of('/') - first + 1);
    return s.find('/') == std::string::npos ? s : std::string();
}

std::optional<std::int64_t> parseIndexParam(std::string_view t) {
    std::size_t i = 0;
    while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
    bool negative = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) negative = t[i++] == '-';
    const std::size_t digits = i;
    std::int64_t n = 0;
    for (; i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])); ++i) {
        if (n > (std::numeric_limits<std::int64_t>::max() - (t[i] - '0')) / 10) return std::nullopt;
        n = n * 10 + (t[i] - '0');
    }
    if (i == digits) return std::nullopt;
    return negative ? -n : n;
}

// ---- KeyListResource ----

KeyListResource::KeyListResource(ConfigStore& store, KeyListSpec spec)
    : store_(&store), spec_(std::move(spec)) {
    if (spec_.configKey.empty()) throw std::invalid_argument("KeyListSpec.configKey is required");
    if (!spec_.normalizeEntry) throw std::invalid_argument("KeyListSpec.normalizeEntry is required");
    if (!spec_.applyPatch) throw std::invalid_argument("KeyListSpec.applyPatch is required");
    path_ = spec_.path.empty() ? std::string(kManagementBase) + "/" + spec_.configKey : spec_.path;
    // Its config key is declared (any type: the normaliser skips what it cannot read).
    store.declare({"key list " + spec_.configKey, {{spec_.configKey, ConfigType::Any}}, {}});
}

KeyListResource::~KeyListResource() = default;

Value::Array KeyListResource::current(const Value& root) const {
    Value::Array out;
    const Value* stored = root.isObject() ? root.find(spec_.configKey) : nullptr;
    if (stored != nullptr && stored->isArray()) {
        const Value::Array& items = stored->asArray();
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (auto e = spec_.normalizeEntry(items[i], {KeyListStage::Stored, i})) out.push_back(std::move(*e));
        }
    }
    if (spec_.normalizeList) spec_.normalizeList(out);
    return out;
}

// An empty list is not added as a new key (the original never adds zero values).
void KeyListResource::write(Value& root, Value::Array list) const {
    if (spec_.normalizeList) spec_.normalizeList(list);
    const Value* existing = root.find(spec_.configKey);
    if (list.empty() && (existing == nullptr || existing->isNull())) return;
    root.set(spec_.configKey, Value(std::move(list)));
}

void KeyListResource::registerRoutes(RouteRegistry& routes) const {
    const KeyListResource* self = this;
    routes.route(Method::Get, path_, Access::Management, [self](Request& q, Response& r) { self->handleGet(q, r); });
    routes.route(Method::Put, path_, Access::Management, [self](Request& q, Response& r) { self->handlePut(q, r); });
    routes.route(Method::Patch, path_, Access::Management,
                 [self](Request& q, Response& r) { self->handlePatch(q, r); });
    routes.route(Method::Delete, path_, Access::Management,
                 [self](Request& q, Response& r) { self->handleDelete(q, r); });
}

void KeyListResource::handleGet(const Request&, Response& res) const {
    const SnapshotPtr snap = store_->snapshot();
    Value::Array list = current(snap->root());
    if (spec_.decorate) spec_.decorate(list, snap->root());
    res.json(200, Value::object({{spec_.configKey, Value(std::move(list))}}));
}

void KeyListResource::handlePut(const Request& req, Response& res) const {
    Value doc;
    try {
        doc = parseJson(req.body(), JsonMode::Document);
    } catch (const std::exception&) {
        invalidBody();
    }
    Value::Array items;
    if (doc.isArray()) {
        items = doc.asArray();
    } else if (doc.isObject()) {
        const Value* wrapped = boundMember(doc, "items");
        if (wrapped == nullptr || !wrapped->isArray() || wrapped->size() == 0) invalidBody();
        items = wrapped->asArray();
    } else if (!doc.isNull()) {
        invalidBody();
    }
    for (Value& item : items) {
        if (item.isNull()) item = Value::object();
        if (!item.isObject()) invalidBody();
        if (spec_.checkEntry) spec_.checkEntry(item);
    }
    Value::Array list;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (auto e = spec_.normalizeEntry(items[i], {KeyListStage::Put, i})) list.push_back(std::move(*e));
    }
    store_->update([&](Value& root) { write(root, list); });
    res.json(200, kOk);
}

void KeyListResource::handlePatch(const Request& req, Response& res) const {
    const std::optional<Value> body = boundObject(req.body());
    if (!body) invalidBody();
    const Value* value = boundMember(*body, "value");
    const Value* index = boundMember(*body, "index");
    const Value* selector = boundMember(*body, spec_.patchSelector.bodyMember);
    if (value == nullptr || !value->isObject()) invalidBody();
    if ((index != nullptr && !index->isInt()) || (selector != nullptr && !selector->isString())) invalidBody();
    {
        Value scratch = Value::object();
        spec_.applyPatch(scratch, *value);  // type errors → 400 before 404
    }
    store_->update([&](Value& root) {
        Value::Array list = current(root);
        std::optional<std::size_t> target;
        if (index != nullptr && index->asInt() >= 0 && static_cast<std::uint64_t>(index->asInt()) < list.size()) {
            target = static_cast<std::size_t>(index->asInt());
        }
        if (!target && selector != nullptr) {
            const std::string match = trimSpace(selector->asString());
            if (!match.empty() || spec_.patchSelector.emptyMatches) {
                for (std::size_t i = 0; i < list.size() && !target; ++i) {
                    if (fieldText(list[i], spec_.patchSelector.field) == match) target = i;
                }
            }
        }
        if (!target) throw HttpError(404, "item not found");
        Value entry = list[*target];
        std::optional<Value> patched;
        if (spec_.applyPatch(entry, *value)) patched = spec_.normalizeEntry(entry, {KeyListStage::Patched, *target});
        if (patched) {
            list[*target] = std::move(*patched);
        } else {
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(*target));
        }
        write(root, std::move(list));
    });
    res.json(200, kOk);
}

void KeyListResource::handleDelete(const Request& req, Response& res) const {
    const KeyListDeleteRule& rule = spec_.deleteRule;
    const auto norm = [&rule](std::string s) { return rule.trim ? trimSpace(s) : s; };
    const std::string key = norm(req.query(rule.keyParam).value_or(""));
    const std::optional<std::string> scope =
        rule.scopeParam.empty() ? std::nullopt : req.query(rule.scopeParam);
    const std::optional<std::int64_t> index = parseIndexParam(req.query("index").value_or(""));
    store_->update([&](Value& root) {
        Value::Array list = current(root);
        if (!key.empty()) {
            const auto keyMatches = [&](const Value& e) { return norm(fieldText(e, rule.keyField)) == key; };
            std::size_t before = list.size();
            if (scope) {
                const std::string base = trimSpace(*scope);
                std::erase_if(list, [&](const Value& e) {
                    return keyMatches(e) && trimSpace(fieldText(e, rule.scopeField)) == base;
                });
            } else if (rule.requireUnique) {
                const auto n = std::count_if(list.begin(), list.end(), keyMatches);
                if (n > 1) throw HttpError(400, rule.ambiguousMessage);
                if (n == 1) list.erase(std::find_if(list.begin(), list.end(), keyMatches));
            } else {
                std::erase_if(list, keyMatches);
            }
            if (before == list.size() && rule.notFoundIs404) throw HttpError(404, "item not found");
        } else if (index && *index >= 0 && static_cast<std::uint64_t>(*index) < list.size()) {
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(*index));
        } else {
            throw HttpError(400, rule.missingMessage);
        }
        write(root, std::move(list));
    });
    res.json(200, kOk);
}

}  // namespace cpa::sdk
