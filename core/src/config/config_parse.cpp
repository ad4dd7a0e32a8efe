#include "config/config_parse.hpp"

namespace cpa::core {
namespace {

/// Nodes of a converted document (aliases already expanded).
std::size_t nodeCount(const sdk::Value& v) {
    std::size_t n = 1;
    if (v.isArray()) {
        for (const auto& item : v.asArray()) n += nodeCount(item);
    } else if (v.isObject()) {
        for (const auto& [key, item] : v.asObject()) n += 1 + nodeCount(item);  // the key is a node too
    }
    return n;
}

ParsedConfig parseTree(const std::string& text) {
    ParsedConfig out;
    out.text = text;
    try {
        out.node = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ConfigTextError("line " + std::to_string(e.mark.line + 1) + ", column " +
                              std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    if (!out.node.IsDefined() || out.node.IsNull()) {
        out.root = sdk::Value::object();
        return out;
    }
    if (!out.node.IsMap()) {
        const auto m = out.node.Mark();
        throw ConfigTextError("line " + std::to_string(m.line + 1) + ", column " + std::to_string(m.column + 1) +
                              ": the top level of the config must be a mapping");
    }
    try {
        out.root = yamlToValue(out.node, &out.lines);
    } catch (const YamlStructureError& e) {
        throw ConfigTextError("line " + std::to_string(e.line()) + ", column " + std::to_string(e.column()) + ": " +
                              e.what());
    } catch (const YAML::Exception& e) {
        throw ConfigTextError("line " + std::to_string(e.mark.line + 1) + ", column " +
                              std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    return out;
}

}  // namespace

ParsedConfig parseConfigYaml(const std::string& text, const YamlLimits& limits) {
    checkYamlLimits(text, limits);
    return parseTree(text);
}

ParsedConfig parseRenderedConfigYaml(const std::string& text, const sdk::Value& root, const YamlLimits& limits) {
    if (text.size() > limits.maxBytes) {
        throw ConfigTextError("document exceeds a limit: " + std::to_string(text.size()) + " bytes, more than " +
                              std::to_string(limits.maxBytes) + " (the size limit)");
    }
    if (nodeCount(root) > limits.maxNodes) {
        throw ConfigTextError("document exceeds a limit: more than " + std::to_string(limits.maxNodes) +
                              " nodes (the node limit)");
    }
    return parseTree(text);
}

}  // namespace cpa::core
