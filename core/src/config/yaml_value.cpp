#include "config/yaml_value.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <system_error>

namespace cpa::core {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool allOf(std::string_view s, bool (*pred)(char)) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!pred(c)) return false;
    }
    return true;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool isCoreFloat(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t intDigits = 0;
    while (i < s.size() && isDigit(s[i])) ++i, ++intDigits;
    std::size_t fracDigits = 0;
    bool dot = false;
    if (i < s.size() && s[i] == '.') {
        dot = true;
        ++i;
        while (i < s.size() && isDigit(s[i])) ++i, ++fracDigits;
    }
    if (intDigits == 0 && fracDigits == 0) return false;
    if (intDigits == 0 && !dot) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        std::size_t expDigits = 0;
        while (i < s.size() && isDigit(s[i])) ++i, ++expDigits;
        if (expDigits == 0) return false;
    }
    return i == s.size();
}

sdk::Value parseDouble(std::string_view s) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double d = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc::result_out_of_range) {
        // from_chars leaves d untouched on overflow/underflow.
        const bool neg = !s.empty() && s.front() == '-';
        // A huge exponent overflows; a tiny one underflows to zero.
        const auto e = s.find_first_of("eE");
        const bool bigExp = e != std::string_view::npos && s.substr(e + 1).find('-') == std::string_view::npos;
        d = bigExp || e == std::string_view::npos ? std::numeric_limits<double>::infinity() : 0.0;
        if (neg) d = -d;
    } else if (ec != std::errc() || ptr != s.data() + s.size()) {
        return sdk::Value(std::string(s));
    }
    return sdk::Value(d);
}

sdk::Value parseBased(std::string_view digits, int base, const std::string& original) {
    std::uint64_t u = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
    if (ec != std::errc() || ptr != digits.data() + digits.size() ||
        u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return sdk::Value(original);  // not representable: keep the text
    }
    return sdk::Value(static_cast<long long>(u));
}

std::string keyText(const YAML::Node& key) {
    if (key.IsScalar()) return key.Scalar();
    if (key.IsNull()) return "";
    const auto m = key.Mark();
    throw YamlStructureError(m.line + 1, m.column + 1, "mapping keys must be scalars");
}

sdk::Value convert(const YAML::Node& node, const std::string& path, KeyLines* lines, int depth) {
    if (depth > 512) {
        const auto m = node.Mark();
        throw YamlStructureError(m.line + 1, m.column + 1, "document nested too deeply");
    }
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        return sdk::Value();
    case YAML::NodeType::Scalar: {
        const std::string& tag = node.Tag();
        if (tag == "?") return resolvePlainScalar(node.Scalar());
        if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
            tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null") {
            return resolvePlainScalar(node.Scalar());
        }
        return sdk::Value(node.Scalar());  // "!" (quoted), !!str, custom tags
    }
    case YAML::NodeType::Sequence: {
        sdk::Value::Array out;
        out.reserve(node.size());
        std::size_t i = 0;
        for (const auto& item : node) {
            std::string itemPath = path + "[" + std::to_string(i++) + "]";
            if (lines) (*lines)[itemPath] = item.Mark().line + 1;
            out.push_back(convert(item, itemPath, lines, depth + 1));
        }
        return sdk::Value(std::move(out));
    }
    case YAML::NodeType::Map: {
        sdk::Value::Object out;
        std::set<std::string> seen;
        for (const auto& kv : node) {
            std::string key = keyText(kv.first);
            const auto m = kv.first.Mark();
            if (!seen.insert(key).second) {
                throw YamlStructureError(m.line + 1, m.column + 1, "mapping key \"" + key + "\" already defined");
            }
            std::string childPath = path.empty() ? key : path + "." + key;
            if (lines) (*lines)[childPath] = m.line + 1;
            out.emplace_back(key, convert(kv.second, childPath, lines, depth + 1));
        }
        return sdk::Value(std::move(out));
    }
    }
    return sdk::Value();
}

void emitValue(YAML::Emitter& e, const sdk::Value& v) {
    switch (v.type()) {
    case sdk::Value::Type::Null:
        e << YAML::Null;
        break;
    case sdk::Value::Type::Bool:
        e << (v.asBool() ? "true" : "false");
        break;
    case sdk::Value::Type::Int:
        e << static_cast<long long>(v.asInt());
        break;
    case sdk::Value::Type::Double:
        e << formatDouble(v.asDouble());
        break;
    case sdk::Value::Type::String:
        if (needsQuoting(v.asString())) e << YAML::DoubleQuoted;
        e << v.asString();
        break;
    case sdk::Value::Type::Array:
        if (v.asArray().empty()) {
            e << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            break;
        }
        e << YAML::BeginSeq;
        for (const auto& item : v.asArray()) emitValue(e, item);
        e << YAML::EndSeq;
        break;
    case sdk::Value::Type::Object:
        if (v.asObject().empty()) {
            e << YAML::Flow << YAML::BeginMap << YAML::EndMap;
            break;
        }
        e << YAML::BeginMap;
        for (const auto& [k, item] : v.asObject()) {
            e << YAML::Key;
            if (needsQuoting(k)) e << YAML::DoubleQuoted;
            e << k << YAML::Value;
            emitValue(e, item);
        }
        e << YAML::EndMap;
        break;
    }
}

void checkEmitter(const YAML::Emitter& e) {
    if (!e.good()) throw std::runtime_error("cannot render YAML: " + e.GetLastError());
}

}  // namespace

sdk::Value resolvePlainScalar(const std::string& text) {
    const std::string_view s = text;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return sdk::Value();
    if (s == "true" || s == "True" || s == "TRUE") return sdk::Value(true);
    if (s == "false" || s == "False" || s == "FALSE") return sdk::Value(false);
    if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && allOf(s.substr(2), isHex)) return parseBased(s.substr(2), 16, text);
    if (s.size() > 2 && s[0] == '0' && s[1] == 'o' &&
        allOf(s.substr(2), [](char c) { return c >= '0' && c <= '7'; })) {
        return parseBased(s.substr(2), 8, text);
    }
    {
        std::string_view digits = s;
        if (digits.front() == '-' || digits.front() == '+') digits.remove_prefix(1);
        if (allOf(digits, isDigit)) {
            std::int64_t i = 0;
            std::string_view num = s.front() == '+' ? s.substr(1) : s;
            auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), i);
            if (ec == std::errc() && ptr == num.data() + num.size()) return sdk::Value(static_cast<long long>(i));
            return parseDouble(s);  // integer too large for int64
        }
    }
    if (isCoreFloat(s)) return parseDouble(s);
    std::string_view t = s;
    bool neg = false;
    if (t.front() == '-' || t.front() == '+') {
        neg = t.front() == '-';
        t.remove_prefix(1);
    }
    if (t == ".inf" || t == ".Inf" || t == ".INF") {
        return sdk::Value(neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity());
    }
    if (s == ".nan" || s == ".NaN" || s == ".NAN") return sdk::Value(std::numeric_limits<double>::quiet_NaN());
    return sdk::Value(text);
}

sdk::Value yamlToValue(const YAML::Node& node, KeyLines* lines) { return convert(node, "", lines, 0); }

bool sameValue(const sdk::Value& a, const sdk::Value& b) {
    if (a.type() != b.type()) return false;
    switch (a.type()) {
    case sdk::Value::Type::Double: {
        const double x = a.asDouble(), y = b.asDouble();
        if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
        return x == y && std::signbit(x) == std::signbit(y);
    }
    case sdk::Value::Type::Array: {
        const auto& x = a.asArray();
        const auto& y = b.asArray();
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (!sameValue(x[i], y[i])) return false;
        }
        return true;
    }
    case sdk::Value::Type::Object: {
        const auto& x = a.asObject();
        if (x.size() != b.asObject().size()) return false;
        for (const auto& [k, v] : x) {
            const sdk::Value* other = b.find(k);
            if (!other || !sameValue(v, *other)) return false;
        }
        return true;
    }
    default:
        return a == b;
    }
}

bool needsQuoting(const std::string& s) {
    if (s.empty()) return true;
    if (!resolvePlainScalar(s).isString()) return true;
    const char first = s.front(), last = s.back();
    if (first == ' ' || first == '\t' || last == ' ' || last == '\t') return true;
    // Indicators that start something else than a plain scalar.
    if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(first) != std::string_view::npos) return true;
    if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos || s.back() == ':') return true;
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) return true;
    }
    if (s == "<<" || s == "---" || s == "...") return true;
    return false;
}

std::string emitKeyBlock(const std::string& key, const sdk::Value& value) {
    YAML::Emitter e;
    e.SetIndent(2);
    e << YAML::BeginMap << YAML::Key;
    if (needsQuoting(key)) e << YAML::DoubleQuoted;
    e << key << YAML::Value;
    emitValue(e, value);
    e << YAML::EndMap;
    checkEmitter(e);
    std::string out = e.c_str();
    if (out.empty() || out.back() != '\n') out += '\n';
    return out;
}

std::string emitDocument(const sdk::Value& root) {
    if (!root.isObject() || root.asObject().empty()) return "{}\n";
    std::string out;
    for (const auto& [k, v] : root.asObject()) out += emitKeyBlock(k, v);
    return out;
}

std::optional<std::string> emitInlineScalar(const sdk::Value& value) {
    if (value.isArray() || value.isObject()) return std::nullopt;
    YAML::Emitter e;
    emitValue(e, value);
    checkEmitter(e);
    std::string out = e.c_str();
    if (out.find('\n') != std::string::npos) return std::nullopt;
    return out;
}

std::string formatDouble(double d) {
    if (std::isnan(d)) return ".nan";
    if (std::isinf(d)) return d < 0 ? "-.inf" : ".inf";
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
    std::string out(buf, ec == std::errc() ? ptr : buf);
    if (out.find_first_of(".eE") == std::string::npos) out += ".0";
    return out;
}

}  // namespace cpa::core
