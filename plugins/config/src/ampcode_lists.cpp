#include "ampcode_lists.hpp"

#include "text_util.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/text.hpp>

#include <map>

namespace cpa::config {
namespace {

using sdk::Value;

[[noreturn]] void invalidBody() { throw sdk::HttpError(400, "invalid body"); }

/// The body's `value` member: nullopt when absent or null (a Go nil slice);
/// 400 when the body is not a JSON object or `value` is not a list.
std::optional<Value::Array> valueList(const std::string& body) {
    const auto obj = sdk::boundObject(body);
    if (!obj) invalidBody();
    const Value* v = sdk::boundMember(*obj, "value");
    if (!v) return std::nullopt;
    if (!v->isArray()) invalidBody();
    return v->asArray();
}

/// A string member decoded like Go: absent/null → "", other types → 400.
std::string stringMember(const Value& entry, std::string_view name) {
    const Value* v = sdk::boundMember(entry, name);
    if (!v) return {};
    if (!v->isString()) invalidBody();
    return v->asString();
}

bool boolMember(const Value& entry, std::string_view name) {
    const Value* v = sdk::boundMember(entry, name);
    if (!v) return false;
    if (!v->isBool()) invalidBody();
    return v->asBool();
}

const Value& emptyObject() {
    static const Value empty = Value::object();
    return empty;
}

const Value& entryObject(const Value& item) {
    if (item.isNull()) return emptyObject();
    if (!item.isObject()) invalidBody();
    return item;
}

Value mapping(const Value& item) {
    const Value& e = entryObject(item);
    Value out = Value::object({{"from", stringMember(e, "from")}, {"to", stringMember(e, "to")}});
    if (boolMember(e, "regex")) out.set("regex", Value(true));
    return out;
}

/// Trimmed, blanks dropped; an empty result is stored as [].
Value apiKeysList(const Value& entry) {
    const Value* v = sdk::boundMember(entry, "api-keys");
    Value out = Value::array();
    if (!v) return out;
    if (!v->isArray()) invalidBody();
    for (const Value& k : v->asArray()) {
        if (k.isNull()) continue;
        if (!k.isString()) invalidBody();
        if (std::string t = sdk::trimAscii(k.asString()); !t.empty()) out.push(Value(std::move(t)));
    }
    return out;
}

/// Null for a blank upstream key (dropped).
Value upstreamEntry(const Value& item) {
    const Value& e = entryObject(item);
    const std::string key = sdk::trimAscii(stringMember(e, "upstream-api-key"));
    Value keys = apiKeysList(e);
    if (key.empty()) return Value();
    return Value::object({{"upstream-api-key", key}, {"api-keys", std::move(keys)}});
}

std::string matchOf(const Value& entry, const std::string& matchKey) {
    const Value* v = entry.isObject() ? entry.find(matchKey) : nullptr;
    return v && v->isString() ? sdk::trimAscii(v->asString()) : std::string();
}

std::string textOf(const Value* obj, std::string_view key) {
    const Value* v = obj && obj->isObject() ? obj->find(key) : nullptr;
    return v && v->isString() ? v->asString() : std::string();
}

}  // namespace

Value upsertByKey(const Value* current, const Value& items, const std::string& matchKey) {
    Value out = current && current->isArray() ? *current : Value();
    std::map<std::string, std::size_t> index;
    if (out.isArray()) {
        for (std::size_t i = 0; i < out.asArray().size(); ++i) index[matchOf(out.asArray()[i], matchKey)] = i;
    }
    for (const Value& item : items.asArray()) {
        const std::string key = matchOf(item, matchKey);
        if (auto it = index.find(key); it != index.end()) {
            out.asArray()[it->second] = item;
        } else {
            out.push(item);
            index[key] = out.asArray().size() - 1;
        }
    }
    return out;
}

Value applyDeletion(const Value* current, const AmpDeletion& del, const std::string& matchKey) {
    if (del.clearAll) return Value();
    Value out = Value::array();
    if (current && current->isArray()) {
        for (const Value& e : current->asArray()) {
            if (!del.remove.count(matchOf(e, matchKey))) out.push(e);
        }
    }
    return out;
}

AmpList modelMappingsList() {
    AmpList l;
    l.key = "model-mappings";
    l.matchKey = "from";
    l.view = [](const Value* stored) {
        if (!stored || !stored->isArray()) return Value();
        Value out = Value::array();
        for (const Value& m : stored->asArray()) {
            Value item = Value::object({{"from", textOf(&m, "from")}, {"to", textOf(&m, "to")}});
            if (const Value* r = m.isObject() ? m.find("regex") : nullptr; r && r->isBool() && r->asBool()) {
                item.set("regex", Value(true));
            }
            out.push(std::move(item));
        }
        return out;
    };
    // PUT replaces without normalisation; a missing `value` clears.
    l.put = [](const std::string& body) {
        const auto list = valueList(body);
        if (!list) return Value();
        Value out = Value::array();
        for (const Value& item : *list) out.push(mapping(item));
        return out;
    };
    l.patchItems = [](const std::string& body) {
        Value out = Value::array();
        if (const auto list = valueList(body)) {
            for (const Value& item : *list) out.push(mapping(item));
        }
        return out;
    };
    // Any unusable body (or an empty list) clears every mapping.
    l.deletion = [](const std::string& body) {
        AmpDeletion d;
        const auto obj = sdk::boundObject(body);
        const Value* v = obj ? sdk::boundMember(*obj, "value") : nullptr;
        if (!v || !v->isArray() || v->asArray().empty()) {
            d.clearAll = true;
            return d;
        }
        for (const Value& s : v->asArray()) {
            if (!s.isString() && !s.isNull()) {
                d.clearAll = true;  // the original's decode error path
                return d;
            }
            d.remove.insert(s.isString() ? sdk::trimAscii(s.asString()) : std::string());
        }
        return d;
    };
    return l;
}

AmpList upstreamApiKeysList() {
    AmpList l;
    l.key = "upstream-api-keys";
    l.matchKey = "upstream-api-key";
    l.view = [](const Value* stored) {
        if (!stored || !stored->isArray()) return Value();
        Value out = Value::array();
        for (const Value& e : stored->asArray()) {
            Value keys;
            if (const Value* k = e.isObject() ? e.find("api-keys") : nullptr; k && k->isArray()) {
                keys = Value::array();
                for (const Value& s : k->asArray()) keys.push(Value(s.isString() ? s.asString() : std::string()));
            }
            out.push(Value::object({{"upstream-api-key", textOf(&e, "upstream-api-key")}, {"api-keys", keys}}));
        }
        return out;
    };
    l.put = [](const std::string& body) {
        const auto list = valueList(body);
        Value out = Value::array();
        if (list) {
            for (const Value& item : *list) {
                if (Value e = upstreamEntry(item); !e.isNull()) out.push(std::move(e));
            }
        }
        return out.size() == 0 ? Value() : out;  // omitempty: nothing left → absent
    };
    l.patchItems = [](const std::string& body) {
        Value out = Value::array();
        if (const auto list = valueList(body)) {
            for (const Value& item : *list) {
                if (Value e = upstreamEntry(item); !e.isNull()) out.push(std::move(e));
            }
        }
        return out;
    };
    l.deletion = [](const std::string& body) {
        const auto obj = sdk::boundObject(body);
        if (!obj) invalidBody();
        const Value* v = sdk::boundMember(*obj, "value");
        if (!v) throw sdk::HttpError(400, "missing value");
        if (!v->isArray()) invalidBody();
        AmpDeletion d;
        if (v->asArray().empty()) {
            d.clearAll = true;
            return d;
        }
        for (const Value& s : v->asArray()) {
            if (s.isNull()) continue;
            if (!s.isString()) invalidBody();
            if (std::string t = sdk::trimAscii(s.asString()); !t.empty()) d.remove.insert(std::move(t));
        }
        if (d.remove.empty()) throw sdk::HttpError(400, "empty value");
        return d;
    };
    return l;
}

}  // namespace cpa::config
