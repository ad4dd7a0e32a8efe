#pragma once
// /oauth-excluded-models and /oauth-model-alias: maps from a channel name to
// a list (management-api-core.md §3.6, §5.12, §5.13).
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/value.hpp>

namespace cpa::provider_keys {

/// N_map: keys lower-cased and trimmed (lists of keys that collide are
/// merged), lists cleaned with X, empty lists dropped; {} when nothing remains.
/// Lenient: members of the wrong type are skipped.
sdk::Value normalizeExcludedMap(const sdk::Value& map);
/// N_alias: the model-alias rules of management-api-core.md §5.13; {} when nothing remains.
sdk::Value normalizeAliasMap(const sdk::Value& map);

void registerOAuthMaps(sdk::RouteRegistry& routes, sdk::ConfigStore& store);

}  // namespace cpa::provider_keys
