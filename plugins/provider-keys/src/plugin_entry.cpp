#include "provider_keys_module.hpp"

#include <cpa/sdk/plugin.hpp>

CPA_PLUGIN(cpa::provider_keys::ProviderKeysModule, "provider-keys", CPA_PROVIDER_KEYS_VERSION)
