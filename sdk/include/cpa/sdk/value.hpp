#pragma once
// A JSON-like immutable-friendly tree used for request/response bodies and
// for configuration snapshots. Objects keep insertion order so that YAML
// documents and JSON bodies round-trip in the order they were written.
#include <cpa/sdk/export.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cpa::sdk {

class CPA_SDK_API Value {
public:
    enum class Type { Null, Bool, Int, Double, String, Array, Object };
    using Array = std::vector<Value>;
    using Member = std::pair<std::string, Value>;
    using Object = std::vector<Member>;

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : data_(b) {}
    Value(int i) : data_(static_cast<std::int64_t>(i)) {}
    Value(long i) : data_(static_cast<std::int64_t>(i)) {}
    Value(long long i) : data_(static_cast<std::int64_t>(i)) {}
    Value(unsigned i) : data_(static_cast<std::int64_t>(i)) {}
    Value(double d) : data_(d) {}
    Value(const char* s) : data_(std::string(s)) {}
    Value(std::string s) : data_(std::move(s)) {}
    Value(std::string_view s) : data_(std::string(s)) {}
    Value(Array a) : data_(std::move(a)) {}
    Value(Object o) : data_(std::move(o)) {}

    static Value array() { return Value(Array{}); }
    static Value object() { return Value(Object{}); }
    /// Builds an object from {key, value} pairs.
    static Value object(std::initializer_list<Member> members);

    Type type() const { return static_cast<Type>(data_.index()); }
    bool isNull() const { return type() == Type::Null; }
    bool isBool() const { return type() == Type::Bool; }
    bool isInt() const { return type() == Type::Int; }
    bool isDouble() const { return type() == Type::Double; }
    bool isNumber() const { return isInt() || isDouble(); }
    bool isString() const { return type() == Type::String; }
    bool isArray() const { return type() == Type::Array; }
    bool isObject() const { return type() == Type::Object; }

    // Strict accessors: throw std::logic_error on a type mismatch.
    bool asBool() const;
    std::int64_t asInt() const;
    double asDouble() const;  // Int widens
    const std::string& asString() const;
    const Array& asArray() const;
    Array& asArray();
    const Object& asObject() const;
    Object& asObject();

    // Lenient accessors: the fallback on a type mismatch or null.
    bool boolOr(bool fallback) const;
    std::int64_t intOr(std::int64_t fallback) const;
    std::string stringOr(std::string fallback) const;

    /// Object member lookup; nullptr when absent or not an object.
    const Value* find(std::string_view key) const;
    Value* find(std::string_view key);
    /// Dotted path lookup ("quota-exceeded.switch-project").
    const Value* findPath(std::string_view dottedPath) const;
    bool contains(std::string_view key) const { return find(key) != nullptr; }
    /// Object member access; turns a null into an object and inserts a null
    /// member at the end when absent.
    Value& operator[](std::string_view key);
    /// Sets (replacing in place, keeping position) or appends a member.
    void set(std::string_view key, Value v);
    /// Removes a member; true when it existed.
    bool erase(std::string_view key);
    /// Appends to an array (a null becomes an array).
    void push(Value v);
    /// Number of array elements or object members, 0 otherwise.
    std::size_t size() const;

    bool operator==(const Value& other) const;
    bool operator!=(const Value& other) const { return !(*this == other); }

private:
    std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> data_{nullptr};
};

}  // namespace cpa::sdk
