#include "config/config_parse.hpp"

#include "config/core_validation.hpp"

namespace cpa::core {

ParsedConfig parseConfigYaml(const std::string& text, const YamlLimits& limits) {
    checkYamlLimits(text, limits);
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
        coerceYaml11Booleans(out.root);
    } catch (const YamlStructureError& e) {
        throw ConfigTextError("line " + std::to_string(e.line()) + ", column " + std::to_string(e.column()) + ": " +
                              e.what());
    } catch (const YAML::Exception& e) {
        throw ConfigTextError("line " + std::to_string(e.mark.line + 1) + ", column " +
                              std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    return out;
}

}  // namespace cpa::core
