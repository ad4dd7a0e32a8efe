#pragma once
// Small text helpers shared by the config module's handlers.
#include <cpa/sdk/value.hpp>

#include <string>
#include <string_view>

namespace cpa::config {

/// A scalar rendered as text the way the YAML file spelt it (Int 5 → "5");
/// null, lists and maps give `fallback`.
std::string scalarText(const sdk::Value* v, std::string fallback = {});

}  // namespace cpa::config
