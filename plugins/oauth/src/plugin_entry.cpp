#include "oauth_module.hpp"

#include <cpa/sdk/plugin.hpp>

CPA_PLUGIN(cpa::oauth::OAuthModule, "oauth", CPA_OAUTH_VERSION)
