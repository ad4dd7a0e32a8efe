#pragma once
// Minimal-diff rendering of an edited document (D3): only the text of the
// top-level keys whose value changed is rewritten; comments, blank lines,
// quoting and unknown keys elsewhere stay byte-identical.
#include <cpa/sdk/value.hpp>

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace cpa::core {

/// `oldNode` is the parse tree of `oldText`, `oldRoot` its converted value.
/// Changed keys are replaced in place (a single-line scalar keeps its line
/// and trailing comment), deleted keys' blocks removed, new keys appended.
/// Documents whose layout cannot be split safely (flow style, odd key
/// placement) are re-emitted whole. The result is NOT verified here.
std::string renderEdited(const std::string& oldText, const YAML::Node& oldNode, const sdk::Value& oldRoot,
                         const sdk::Value& newRoot);

/// Replaces the text of one scalar value node (located by its mark) with
/// `newValue`, keeping the quoting style; nullopt when the scalar cannot be
/// located safely on a single line.
std::optional<std::string> replaceScalarText(const std::string& text, const YAML::Node& valueNode,
                                             const std::string& newValue);

}  // namespace cpa::core
