#include "entry_codec.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>

namespace cpa::provider_keys {

namespace {

struct Decoder {
    bool strict;

    // A member of the wrong type: an error in a body, skipped in a config file.
    std::optional<Value> bad() const {
        if (strict) throw sdk::HttpError(400, "invalid body");
        return std::nullopt;
    }

    std::optional<Value> text(const Value& v) const {
        if (v.isString()) return v;
        if (strict || v.isArray() || v.isObject()) return bad();
        if (v.isBool()) return Value(v.asBool() ? "true" : "false");
        if (v.isInt()) return Value(std::to_string(v.asInt()));
        return Value(sdk::toJson(v));
    }

    std::optional<Value> object(const Value& v, const Schema& schema) const {
        if (v.isNull()) return Value::object();
        if (!v.isObject()) return bad();
        return decode(v, schema, strict);
    }

    std::optional<Value> list(const Value& v, const Schema* itemSchema) const {
        if (!v.isArray()) return bad();
        Value out = Value::array();
        for (const Value& item : v.asArray()) {
            std::optional<Value> d;
            if (itemSchema != nullptr) {
                d = object(item, *itemSchema);
            } else {
                d = item.isNull() ? std::optional<Value>(Value("")) : text(item);
            }
            if (d) out.push(std::move(*d));
        }
        return out;
    }

    std::optional<Value> member(const Value& v, Kind kind) const {
        static const Schema kModel = {{"name", Kind::String}, {"alias", Kind::String}};
        static const Schema kModelThinking = {{"name", Kind::String}, {"alias", Kind::String}, {"thinking", Kind::Object}};
        static const Schema kKeyEntry = {{"api-key", Kind::String}, {"proxy-url", Kind::String}};
        switch (kind) {
        case Kind::String: return text(v);
        case Kind::Int:
            if (v.isInt()) return v;
            return bad();
        case Kind::Bool:
            if (v.isBool()) return v;
            return bad();
        case Kind::StringMap: {
            if (!v.isObject()) return bad();
            Value out = Value::object();
            for (const auto& [name, value] : v.asObject()) {
                if (value.isNull()) {
                    out.set(name, "");
                } else if (auto t = text(value)) {
                    out.set(name, std::move(*t));
                }
            }
            return out;
        }
        case Kind::StringList: return list(v, nullptr);
        case Kind::Models: return withNameAlias(list(v, &kModel));
        case Kind::ModelsThinking: return withNameAlias(list(v, &kModelThinking));
        case Kind::KeyEntries: return withKey(list(v, &kKeyEntry));
        case Kind::Object:
            if (v.isObject()) return v;
            return bad();
        }
        return std::nullopt;
    }

    // Model items always carry name and alias (Go struct fields without omitempty).
    static std::optional<Value> withNameAlias(std::optional<Value> models) {
        if (!models) return models;
        for (Value& m : models->asArray()) {
            Value out = Value::object({{"name", str(m, "name")}, {"alias", str(m, "alias")}});
            if (const Value* t = m.find("thinking")) out.set("thinking", *t);
            m = std::move(out);
        }
        return models;
    }
    static std::optional<Value> withKey(std::optional<Value> entries) {
        if (!entries) return entries;
        for (Value& e : entries->asArray()) {
            Value out = Value::object({{"api-key", str(e, "api-key")}});
            if (const std::string p = str(e, "proxy-url"); !p.empty()) out.set("proxy-url", p);
            e = std::move(out);
        }
        return entries;
    }
};

bool isZero(const Value& v) {
    switch (v.type()) {
    case Value::Type::Null: return true;
    case Value::Type::Bool: return !v.asBool();
    case Value::Type::Int: return v.asInt() == 0;
    case Value::Type::Double: return v.asDouble() == 0.0;
    case Value::Type::String: return v.asString().empty();
    case Value::Type::Array:
    case Value::Type::Object: return v.size() == 0;
    }
    return false;
}

}  // namespace

Value decode(const Value& raw, const Schema& schema, bool strict) {
    const Decoder d{strict};
    Value out = Value::object();
    if (!raw.isObject()) return out;
    for (const Field& f : schema) {
        const Value* v = sdk::boundMember(raw, f.name);
        if (v == nullptr) continue;
        if (auto decoded = d.member(*v, f.kind)) out.set(f.name, std::move(*decoded));
    }
    return out;
}

std::string str(const Value& entry, std::string_view key) {
    const Value* v = entry.isObject() ? entry.find(key) : nullptr;
    if (v == nullptr) return {};
    if (v->isString()) return v->asString();
    if (v->isInt()) return std::to_string(v->asInt());
    if (v->isBool()) return v->asBool() ? "true" : "false";
    return {};
}

void setOrErase(Value& entry, std::string_view key, std::optional<Value> v) {
    if (v && !isZero(*v)) {
        entry.set(key, std::move(*v));
    } else {
        entry.erase(key);
    }
}

void compact(Value& entry) {
    if (!entry.isObject()) return;
    auto& members = entry.asObject();
    std::erase_if(members, [](const Value::Member& m) { return isZero(m.second); });
}

}  // namespace cpa::provider_keys
