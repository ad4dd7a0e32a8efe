#pragma once
// The `proxy-url` grammar (config-schema.md §2.4): "" = environment proxies,
// `direct`/`none` = no proxy, a socks5/socks5h/http/https URL with a host.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::config {

enum class ProxyMode { Environment, Direct, Url };

struct ProxyEndpoint {
    std::string scheme;  ///< lower-case: http, https, socks5, socks5h
    std::string host;
    std::uint16_t port = 0;
    std::string user;  ///< percent-decoded user-info
    std::string password;
    bool hasCredentials = false;
};

struct ProxySetting {
    ProxyMode mode = ProxyMode::Environment;
    ProxyEndpoint endpoint;  ///< meaningful for ProxyMode::Url
};

/// Parses a proxy URL (scheme required). nullopt for anything but a
/// socks5/socks5h/http/https URL with a host and a valid port.
std::optional<ProxyEndpoint> parseProxyEndpoint(std::string_view url);

/// Parses a `proxy-url` value (trimmed first); nullopt when invalid.
std::optional<ProxySetting> parseProxySetting(std::string_view value);

}  // namespace cpa::config
