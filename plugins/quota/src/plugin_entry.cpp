#include "quota_module.hpp"

#include <cpa/sdk/plugin.hpp>

CPA_PLUGIN(cpa::quota::QuotaModule, "quota", CPA_QUOTA_VERSION)
