#pragma once
// Proxy precedence of /api-call (api-call.md §4.1).
#include <cpa/sdk/outbound_proxy.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cpa::oauth {

/// A proxy (cpa/sdk/outbound_proxy.hpp); an empty scheme means "direct".
using ProxySpec = sdk::ProxyEndpoint;

/// One candidate: nullopt = invalid or empty (skip it); a spec with an empty
/// scheme = "direct"/"none" (connect directly, stop searching).
std::optional<ProxySpec> parseProxyCandidate(const std::string& raw);

/// The first usable candidate in order; nullopt = direct connection
/// (environment proxy variables are never consulted).
std::optional<ProxySpec> chooseProxy(const std::vector<std::string>& candidates);

}  // namespace cpa::oauth
