#pragma once
// Resource limits for config YAML, checked on the event stream before any
// node tree is built: an alias bomb of a few hundred bytes would otherwise
// expand into gigabytes while the tree is converted.
#include <cpa/sdk/config.hpp>

#include <cstddef>
#include <string>

namespace cpa::core {

struct YamlLimits {
    /// Bytes of text (also the PUT /config.yaml body bound).
    std::size_t maxBytes = sdk::kMaxConfigDocumentBytes;
    /// Nodes (scalars, sequences, mappings) counting every alias as the nodes
    /// it stands for. A node costs ~0.6 KB once parsed and converted, so this
    /// bounds a config's memory to tens of MB; real configs have thousands.
    std::size_t maxNodes = 100'000;
    /// Nodes added by alias expansion alone.
    std::size_t maxAliasExpansion = 10'000;
};

/// Throws ConfigTextError naming the exceeded limit ("document exceeds the
/// limit of N nodes", ...), or with the line/column of a syntax error.
void checkYamlLimits(const std::string& text, const YamlLimits& limits);

}  // namespace cpa::core
