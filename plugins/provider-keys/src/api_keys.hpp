#pragma once
// /api-keys: the client keys of the proxy API, a list of strings stored
// exactly as given (management-api-core.md §3.4, §5.9).
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/http.hpp>

namespace cpa::provider_keys {

void registerApiKeys(sdk::RouteRegistry& routes, sdk::ConfigStore& store);

}  // namespace cpa::provider_keys
