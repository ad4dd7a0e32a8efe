#include <cpa/sdk/value.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace cpa::sdk {

namespace {

const char* typeName(Value::Type t) {
    switch (t) {
    case Value::Type::Null: return "null";
    case Value::Type::Bool: return "bool";
    case Value::Type::Int: return "int";
    case Value::Type::Double: return "double";
    case Value::Type::String: return "string";
    case Value::Type::Array: return "array";
    case Value::Type::Object: return "object";
    }
    return "unknown";
}

[[noreturn]] void mismatch(const char* what, Value::Type expected, Value::Type actual) {
    throw std::logic_error(std::string("cpa::sdk::Value::") + what + ": expected " + typeName(expected) +
                           ", got " + typeName(actual));
}

}  // namespace

Value Value::object(std::initializer_list<Member> members) {
    Value v = object();
    for (const auto& m : members) v.set(m.first, m.second);
    return v;
}

bool Value::asBool() const {
    if (const auto* b = std::get_if<bool>(&data_)) return *b;
    mismatch("asBool", Type::Bool, type());
}

std::int64_t Value::asInt() const {
    if (const auto* i = std::get_if<std::int64_t>(&data_)) return *i;
    mismatch("asInt", Type::Int, type());
}

double Value::asDouble() const {
    if (const auto* d = std::get_if<double>(&data_)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&data_)) return static_cast<double>(*i);
    mismatch("asDouble", Type::Double, type());
}

const std::string& Value::asString() const {
    if (const auto* s = std::get_if<std::string>(&data_)) return *s;
    mismatch("asString", Type::String, type());
}

const Value::Array& Value::asArray() const {
    if (const auto* a = std::get_if<Array>(&data_)) return *a;
    mismatch("asArray", Type::Array, type());
}

Value::Array& Value::asArray() {
    if (auto* a = std::get_if<Array>(&data_)) return *a;
    mismatch("asArray", Type::Array, type());
}

const Value::Object& Value::asObject() const {
    if (const auto* o = std::get_if<Object>(&data_)) return *o;
    mismatch("asObject", Type::Object, type());
}

Value::Object& Value::asObject() {
    if (auto* o = std::get_if<Object>(&data_)) return *o;
    mismatch("asObject", Type::Object, type());
}

bool Value::boolOr(bool fallback) const {
    const auto* b = std::get_if<bool>(&data_);
    return b ? *b : fallback;
}

std::int64_t Value::intOr(std::int64_t fallback) const {
    const auto* i = std::get_if<std::int64_t>(&data_);
    return i ? *i : fallback;
}

std::string Value::stringOr(std::string fallback) const {
    const auto* s = std::get_if<std::string>(&data_);
    return s ? *s : fallback;
}

const Value* Value::find(std::string_view key) const {
    const auto* o = std::get_if<Object>(&data_);
    if (!o) return nullptr;
    for (const auto& m : *o) {
        if (m.first == key) return &m.second;
    }
    return nullptr;
}

Value* Value::find(std::string_view key) {
    return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

const Value* Value::findPath(std::string_view dottedPath) const {
    // Literal split: "a..b" looks up an empty key, "" looks up the key "".
    const Value* cur = this;
    std::size_t start = 0;
    while (cur) {
        const std::size_t dot = dottedPath.find('.', start);
        const std::string_view segment =
            dottedPath.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        cur = cur->find(segment);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return cur;
}

namespace {
/// Objects built member by member start with room for a few: most have
/// several, and growing 1 → 2 → 4 moves every member each time.
constexpr std::size_t kFirstMembers = 4;
}  // namespace

Value& Value::operator[](std::string_view key) {
    if (isNull()) data_ = Object{};
    Object& o = asObject();
    for (auto& m : o) {
        if (m.first == key) return m.second;
    }
    if (o.empty()) o.reserve(kFirstMembers);
    o.emplace_back(std::string(key), Value());
    return o.back().second;
}

void Value::set(std::string_view key, Value v) {
    if (isNull()) data_ = Object{};
    Object& o = asObject();
    for (auto& m : o) {
        if (m.first == key) {
            m.second = std::move(v);
            return;
        }
    }
    if (o.empty()) o.reserve(kFirstMembers);
    o.emplace_back(std::string(key), std::move(v));
}

bool Value::erase(std::string_view key) {
    auto* o = std::get_if<Object>(&data_);
    if (!o) return false;
    auto it = std::find_if(o->begin(), o->end(), [&](const Member& m) { return m.first == key; });
    if (it == o->end()) return false;
    o->erase(it);
    return true;
}

void Value::push(Value v) {
    if (isNull()) data_ = Array{};
    asArray().push_back(std::move(v));
}

std::size_t Value::size() const {
    if (const auto* a = std::get_if<Array>(&data_)) return a->size();
    if (const auto* o = std::get_if<Object>(&data_)) return o->size();
    return 0;
}

// Deep equality. Types must match exactly (Int 5 != Double 5.0: the
// distinction is part of the contract, e.g. for {"value": 5} bodies); doubles
// compare as IEEE numbers (NaN != NaN); arrays compare in order; objects
// compare as JSON objects: same member count and, for each key, equal values,
// whatever the member order.
bool Value::operator==(const Value& other) const {
    if (type() != other.type()) return false;
    switch (type()) {
    case Type::Null: return true;
    case Type::Bool: return std::get<bool>(data_) == std::get<bool>(other.data_);
    case Type::Int: return std::get<std::int64_t>(data_) == std::get<std::int64_t>(other.data_);
    case Type::Double: return std::get<double>(data_) == std::get<double>(other.data_);
    case Type::String: return std::get<std::string>(data_) == std::get<std::string>(other.data_);
    case Type::Array: return std::get<Array>(data_) == std::get<Array>(other.data_);
    case Type::Object: {
        const Object& a = std::get<Object>(data_);
        const Object& b = std::get<Object>(other.data_);
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            // Fast path: same key at the same position.
            const Value* peer = b[i].first == a[i].first ? &b[i].second : other.find(a[i].first);
            if (!peer || !(a[i].second == *peer)) return false;
        }
        // Every key of `a` is in `b` with the same count, but duplicates in
        // one side could hide a key of the other: check the reverse too.
        for (const auto& m : b) {
            if (!find(m.first)) return false;
        }
        return true;
    }
    }
    return false;
}

}  // namespace cpa::sdk
