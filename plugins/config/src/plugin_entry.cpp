#include "config_module.hpp"

#include <cpa/sdk/plugin.hpp>

CPA_PLUGIN(cpa::config::ConfigModule, "config", CPA_CONFIG_VERSION)
