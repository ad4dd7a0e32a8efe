#pragma once
// The /auth-files family, /model-definitions and /vertex/import
// (auth-files.md §3–§11) under /v0/management.
#include "auth_file_entry.hpp"
#include "file_credential_store.hpp"

#include <cpa/sdk/http.hpp>

#include <memory>

namespace cpa::oauth {

/// `overlay` adds the runtime state (refresh failures, the data plane's cooldowns) to the listing.
void registerAuthFileRoutes(sdk::RouteRegistry& routes, std::shared_ptr<FileCredentialStore> store,
                            EntryOverlay overlay = {});
void registerAuthPatchRoutes(sdk::RouteRegistry& routes, std::shared_ptr<FileCredentialStore> store);
void registerVertexImportRoute(sdk::RouteRegistry& routes, std::shared_ptr<FileCredentialStore> store);

/// {"error": message}
sdk::Value errorBody(const std::string& message);

}  // namespace cpa::oauth
