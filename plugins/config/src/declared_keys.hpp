#pragma once
// The config.yaml keys the config module reads and serves (GET /config, the
// scalar settings, /config.yaml): the original's schema beyond the core's keys.
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/module.hpp>

namespace cpa::config {

/// Types as the management API and the original's decoder expect them;
/// `validate` adds the rules types cannot say (latest-version-url,
/// disable-image-generation, file-only settings during PUT /config.yaml).
sdk::ConfigDeclaration configDeclaration(sdk::ModuleContext& context);

}  // namespace cpa::config
