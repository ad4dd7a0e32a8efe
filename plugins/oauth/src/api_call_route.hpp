#pragma once
// POST /v0/management/api-call (api-call.md).
#include "file_credential_store.hpp"
#include "tokens/token_service.hpp"

#include <cpa/sdk/module.hpp>

#include <memory>

namespace cpa::oauth {

/// `tokens` serves $TOKEN$ of Claude and Codex files (refreshed when due, as the data plane's).
void registerApiCallRoute(sdk::RouteRegistry& routes, sdk::ModuleContext& ctx,
                          std::shared_ptr<FileCredentialStore> store, std::shared_ptr<TokenService> tokens);

}  // namespace cpa::oauth
