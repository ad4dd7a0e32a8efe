#include "metrics_module.hpp"

#include <cpa/sdk/plugin.hpp>

CPA_PLUGIN(cpa::metrics::MetricsModule, "metrics", CPA_METRICS_VERSION)
