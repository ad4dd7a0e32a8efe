#include "usage_module.hpp"

#include <cpa/sdk/plugin.hpp>

CPA_PLUGIN(cpa::usage::UsageModule, "usage", CPA_USAGE_VERSION)
