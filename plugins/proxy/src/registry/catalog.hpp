#pragma once
// The built-in model catalogue (data-plane §5.1): a static copy of the
// original's models.json sections used by API-key families without `models`.
#include <cpa/sdk/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cpa::proxy {

/// The embedded JSON text (generated from data/catalog.json).
std::string_view builtinCatalogJson();

/// Models of one section (`claude`, `gemini`, `vertex`, `codex-pro`); empty
/// for an unknown section. Parsed once, on first use.
const std::vector<sdk::Value>& catalogSection(std::string_view section);

/// The catalogue entry whose id equals `name` (any section), or nullptr.
const sdk::Value* catalogLookup(std::string_view name);

/// The preview variants the catalogue lists for `model` in `section` (its
/// entry's `preview` array, in order; empty when none): what
/// `quota-exceeded.switch-preview-model` retries with (docs/compatibility.md Q2).
std::vector<std::string> previewVariants(std::string_view section, std::string_view model);

}  // namespace cpa::proxy
