#pragma once
// Type checks for the keys the core itself reads (config-schema.md §2), so a
// typo like `port: abc` refuses the file instead of silently using a default.
#include "config/yaml_value.hpp"

#include <cpa/sdk/value.hpp>

namespace cpa::core {

/// Throws ConfigTextError ("line 3: port: expected ..."); `lines` may be null
/// (documents built in memory have no lines).
void validateCoreConfig(const sdk::Value& root, const KeyLines* lines);

/// The boolean keys of the core's table written as YAML 1.1 words (`yes`,
/// `on`, `off`, `n` ...) become booleans, as the original's decoder reads them.
void coerceYaml11Booleans(sdk::Value& root);

/// An IPv4/IPv6 address or CIDR range ("10.0.0.0/8", "::1/128").
bool isIpOrCidr(const std::string& s);

}  // namespace cpa::core
