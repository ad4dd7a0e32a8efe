#pragma once
// yaml-cpp nodes <-> sdk::Value. Plain scalars are typed by the YAML 1.2 core
// schema (yaml-cpp itself keeps every scalar as text); quoted or !!str scalars
// stay strings. Emission quotes any string whose plain form would read back
// as something else, so rendered text round-trips exactly.
#include <cpa/sdk/value.hpp>

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace cpa::core {

/// 1-based line of every mapping key / sequence item, by path
/// ("remote-management.secret-key", "trusted-proxies[1]").
using KeyLines = std::map<std::string, int>;

/// A structural problem yaml-cpp accepts but a config must not have
/// (duplicate or non-scalar mapping key). line/column are 1-based.
class YamlStructureError : public std::runtime_error {
public:
    YamlStructureError(int line, int column, const std::string& message)
        : std::runtime_error(message), line_(line), column_(column) {}
    int line() const noexcept { return line_; }
    int column() const noexcept { return column_; }

private:
    int line_;
    int column_;
};

/// Core-schema resolution of a plain (unquoted, untagged) scalar.
sdk::Value resolvePlainScalar(const std::string& text);

/// Converts a parsed node tree. Throws YamlStructureError.
sdk::Value yamlToValue(const YAML::Node& node, KeyLines* lines = nullptr);

/// Deep equality where object member order does not matter and NaN equals NaN
/// (a document holding `.nan` must still compare equal to itself).
bool sameValue(const sdk::Value& a, const sdk::Value& b);

/// Whether a string must be quoted to read back as the same string.
bool needsQuoting(const std::string& s);

/// `key: value` as block YAML (indent 2, `[]`/`{}` for empty collections),
/// ending with a newline.
std::string emitKeyBlock(const std::string& key, const sdk::Value& value);

/// A whole document of top-level keys (an empty object becomes "{}\n").
std::string emitDocument(const sdk::Value& root);

/// Single-line form of a scalar value (null, bool, number, string), or
/// nullopt for collections and strings that need several lines.
std::optional<std::string> emitInlineScalar(const sdk::Value& value);

/// Shortest text that reads back as the same double (always has '.', 'e',
/// or is .inf/.nan so it never reads back as an int).
std::string formatDouble(double d);

}  // namespace cpa::core
