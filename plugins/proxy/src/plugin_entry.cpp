#include "proxy_module.hpp"

#include <cpa/sdk/plugin.hpp>

CPA_PLUGIN(cpa::proxy::ProxyModule, "proxy", CPA_PROXY_VERSION)
