#pragma once
// The keys the core itself reads (config-schema.md §2), declared like any
// module's, so a typo like `port: abc` refuses the file instead of silently
// using a default; and the unknown-key report over every declaration.
#include "config/yaml_value.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/value.hpp>

#include <string>
#include <vector>

namespace cpa::core {

/// The core's own keys (owner "core"). Modules declare theirs through
/// sdk::ConfigStore::declare.
const sdk::ConfigDeclaration& coreConfigDeclaration();

/// The core's declared types, then the entries of `trusted-proxies`. Throws
/// ConfigTextError ("line 3: port: expected ..."); `lines` may be null
/// (documents built in memory have no lines).
void validateCoreConfig(const sdk::Value& root, const KeyLines* lines);

/// One line per key no declaration names: a top-level key, or a member of a
/// declared Mapping section with declared members, e.g.
/// "line 7: unknown key 'routing.stratgy' (section 'routing' of proxy)".
std::vector<std::string> unknownConfigKeys(const sdk::Value& root, const KeyLines& lines,
                                           const std::vector<sdk::ConfigDeclaration>& declarations);

/// An IPv4/IPv6 address or CIDR range ("10.0.0.0/8", "::1/128").
bool isIpOrCidr(const std::string& s);

}  // namespace cpa::core
