#pragma once
// Text → document for config.yaml: syntax errors carry 1-based line/column.
#include "config/yaml_limits.hpp"
#include "config/yaml_value.hpp"

#include <cpa/sdk/value.hpp>

#include <stdexcept>
#include <string>

namespace cpa::core {

/// A syntax, structure or validation problem in config text. what() is the
/// detail without the file name, e.g. "line 3, column 5: ...".
class ConfigTextError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ParsedConfig {
    sdk::Value root;  ///< always an object
    KeyLines lines;   ///< key path → 1-based line
    YAML::Node node;  ///< the parse tree (for text spans; never shared with readers)
    std::string text; ///< what was parsed
};

/// Parses config text: the one entry point of every path that reads config
/// YAML (start-up, the file watcher, management writes). `limits` are checked
/// on the event stream before any tree is built. An empty (or comment-only /
/// null) document is {}. Throws ConfigTextError.
ParsedConfig parseConfigYaml(const std::string& text, const YamlLimits& limits = YamlLimits{});

/// Re-reads text the store rendered itself from `root` (to verify it): the
/// limits are checked on `root` (size, expanded node count) instead of a
/// second pass over the text. Throws ConfigTextError.
ParsedConfig parseRenderedConfigYaml(const std::string& text, const sdk::Value& root,
                                     const YamlLimits& limits = YamlLimits{});

}  // namespace cpa::core
