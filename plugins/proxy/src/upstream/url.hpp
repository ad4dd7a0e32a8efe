#pragma once
// Absolute http(s)/socks URLs as used for upstreams and proxies.
#include <optional>
#include <string>

namespace cpa::proxy::upstream {

struct Url {
    std::string scheme;     ///< lower-case
    std::string host;       ///< without brackets for IPv6
    int port{};
    std::string target;     ///< path + "?" + query, at least "/"
    std::string user, password;  ///< userinfo, percent-decoded
    std::string hostHeader() const;  ///< host[:port] with the default port omitted
};

/// Parses scheme://[user[:pass]@]host[:port][/path][?query]; nullopt when malformed.
std::optional<Url> parseUrl(const std::string& text);

}  // namespace cpa::proxy::upstream
