#pragma once
// POST /v0/management/api-call (api-call.md).
#include "file_credential_store.hpp"

#include <cpa/sdk/module.hpp>

#include <memory>

namespace cpa::oauth {

void registerApiCallRoute(sdk::RouteRegistry& routes, sdk::ModuleContext& ctx,
                          std::shared_ptr<FileCredentialStore> store);

}  // namespace cpa::oauth
