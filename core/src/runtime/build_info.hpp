#pragma once
#include <cpa/sdk/module.hpp>

namespace cpa::core {

/// Version, commit and build date baked in at build time (CPA_BUILD_*),
/// shown by --version and the X-CPA-* headers.
const sdk::BuildInfo& buildInfo();

}  // namespace cpa::core
