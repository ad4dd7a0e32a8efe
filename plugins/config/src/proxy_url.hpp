#pragma once
// The `proxy-url` grammar (config-schema.md §2.4): "" = environment proxies,
// `direct`/`none` = no proxy, a socks5/socks5h/http/https URL with a host
// (cpa/sdk/outbound_proxy.hpp parses it).
#include <cpa/sdk/outbound_proxy.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::config {

enum class ProxyMode { Environment, Direct, Url };

using ProxyEndpoint = sdk::ProxyEndpoint;

struct ProxySetting {
    ProxyMode mode = ProxyMode::Environment;
    ProxyEndpoint endpoint;  ///< meaningful for ProxyMode::Url
};

/// Parses a `proxy-url` value (trimmed first); nullopt when invalid.
std::optional<ProxySetting> parseProxySetting(std::string_view value);

}  // namespace cpa::config
