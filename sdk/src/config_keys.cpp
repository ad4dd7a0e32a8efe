// Type checks of declared config keys: one implementation for the server's
// config store (with line numbers) and the testing InMemoryConfigStore.
#include <cpa/sdk/config.hpp>

#include <optional>
#include <set>
#include <stdexcept>

namespace cpa::sdk {
namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

const Value* lookup(const Value& root, std::string_view path) {
    const Value* cur = &root;
    while (cur) {
        const auto dot = path.find('.');
        const std::string_view part = path.substr(0, dot);
        if (!cur->isObject()) return nullptr;
        cur = cur->find(part);
        if (dot == std::string_view::npos) return cur;
        path.remove_prefix(dot + 1);
    }
    return nullptr;
}

// YAML 1.1 spellings Go's yaml.v3 still accepts when decoding into a bool.
std::optional<bool> yaml11Bool(const std::string& s) {
    static const std::set<std::string, std::less<>> yes{"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
    static const std::set<std::string, std::less<>> no{"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
    if (yes.count(s)) return true;
    if (no.count(s)) return false;
    return std::nullopt;
}

bool isScalar(const Value& v) { return !v.isArray() && !v.isObject(); }

std::string describe(const Value& v) {
    switch (v.type()) {
    case Value::Type::Null: return "null";
    case Value::Type::Bool: return "a boolean";
    case Value::Type::Int: return "an integer";
    case Value::Type::Double: return "a number";
    case Value::Type::String: return "a string";
    case Value::Type::Array: return "a list";
    case Value::Type::Object: return "a mapping";
    }
    return "a value";
}

struct Checker {
    const std::function<int(const std::string&)>& lineOf;

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        const int line = lineOf ? lineOf(path) : 0;
        throw std::invalid_argument((line > 0 ? "line " + std::to_string(line) + ": " : std::string()) + path + ": " +
                                    what);
    }

    void scalarItems(const std::string& path, const Value& list) const {
        std::size_t i = 0;
        for (const auto& item : list.asArray()) {
            const std::string itemPath = path + "[" + std::to_string(i++) + "]";
            if (!isScalar(item) || item.isNull()) fail(itemPath, "expected a string, got " + describe(item));
        }
    }

    void check(const ConfigKey& key, const Value& v) const {
        if (v.isNull()) return;  // absent-equivalent: the reader's default applies
        const std::string& path = key.path;
        switch (key.type) {
        case ConfigType::Any:
            break;
        case ConfigType::String:
            if (!isScalar(v)) fail(path, "expected a string, got " + describe(v));
            break;
        case ConfigType::Bool:
            if (!v.isBool()) fail(path, "expected true or false, got " + describe(v));
            break;
        case ConfigType::Int: {
            std::string range;
            if (key.min != kMin && key.max != kMax) {
                range = " between " + std::to_string(key.min) + " and " + std::to_string(key.max);
            } else if (key.min != kMin) {
                range = " >= " + std::to_string(key.min);
            }
            if (!v.isInt()) fail(path, "expected an integer" + range + ", got " + describe(v));
            if (v.asInt() < key.min || v.asInt() > key.max) {
                fail(path, "expected an integer" + range + ", got " + std::to_string(v.asInt()));
            }
            break;
        }
        case ConfigType::Mapping:
            if (!v.isObject()) fail(path, "expected a mapping, got " + describe(v));
            break;
        case ConfigType::List:
            if (!v.isArray()) fail(path, "expected a list, got " + describe(v));
            break;
        case ConfigType::StringList:
            if (!v.isArray()) fail(path, "expected a list, got " + describe(v));
            scalarItems(path, v);
            break;
        case ConfigType::StringOrList:
            if (v.isArray()) {
                scalarItems(path, v);
            } else if (!isScalar(v)) {
                fail(path, "expected a string or a list, got " + describe(v));
            }
            break;
        }
    }
};

}  // namespace

void checkConfigKeys(const Value& root, const std::vector<ConfigKey>& keys,
                     const std::function<int(const std::string& path)>& lineOf) {
    const Checker checker{lineOf};
    for (const ConfigKey& key : keys) {
        if (const Value* v = lookup(root, key.path)) checker.check(key, *v);
    }
}

void coerceConfigBooleans(Value& root, const std::vector<ConfigKey>& keys) {
    for (const ConfigKey& key : keys) {
        if (key.type != ConfigType::Bool) continue;
        auto* v = const_cast<Value*>(lookup(root, key.path));
        if (!v || !v->isString()) continue;
        if (const auto b = yaml11Bool(v->asString())) *v = Value(*b);
    }
}

}  // namespace cpa::sdk
