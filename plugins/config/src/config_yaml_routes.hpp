#pragma once
// GET/PUT /config.yaml (management-api-core.md §5.3 with D4 and D5).
#include <cpa/sdk/module.hpp>

namespace cpa::config {

void registerConfigYamlRoutes(sdk::RouteRegistry& routes, sdk::ModuleContext& context);

/// Part of the module's config validator: while a PUT /config.yaml runs on
/// this thread, refuses a candidate that changes the file-only settings (D5).
/// The store calls validators under its writer lock, so the comparison is
/// against the snapshot the new document would replace. No-op otherwise.
void checkFileOnlySettingsDuringPut(sdk::ModuleContext& context, const sdk::Value& candidate);

}  // namespace cpa::config
