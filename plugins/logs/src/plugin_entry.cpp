#include "logs_module.hpp"

#include <cpa/sdk/plugin.hpp>

CPA_PLUGIN(cpa::logs::LogsModule, "logs", CPA_LOGS_VERSION)
