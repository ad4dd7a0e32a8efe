#pragma once
// The scalar settings of management-api-core.md §5.5, §5.7 and §5.8:
// GET answers {"<name>": value}; PUT and PATCH take {"value": x}.
#include <cpa/sdk/module.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cpa::config {

/// Sets the member at `dottedPath`, creating parent mappings. A key that is
/// absent from the file and would be set to its default is left out, like
/// the original (which never adds known defaults as new keys).
void applySetting(sdk::Value& root, std::string_view dottedPath, const sdk::Value& value, const sdk::Value& fallback);

/// management-api-core.md §5.7: lower-case(trim(s)) with the aliases; nullopt when not a strategy.
std::optional<std::string> normalizeRoutingStrategy(std::string_view s);

void registerScalarSettings(sdk::RouteRegistry& routes, sdk::ModuleContext& context);

}  // namespace cpa::config
