#pragma once
// Client IP resolution per deviation D1 (management-api-core.md §2.3, as
// recommended): the TCP peer, unless the peer is a configured trusted proxy,
// in which case X-Forwarded-For, then X-Real-IP, name the client.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::core {

/// True for an IPv4 or IPv6 literal without brackets (an IPv6 zone "%eth0" is accepted).
bool isIpLiteral(std::string_view text) noexcept;

/// Renders a peer address for Request::peerAddress(): brackets and an IPv6
/// zone are dropped, IPv4-mapped IPv6 becomes dotted IPv4 ("::ffff:127.0.0.1"
/// → "127.0.0.1"); other text is returned unchanged.
std::string normalizePeerAddress(std::string_view ip);

/// The set of trusted proxies from ServerOptions::trustedProxies: single IPs
/// or CIDRs ("10.0.0.0/8", "fd00::/8"), IPv4 and IPv6. IPv4-mapped IPv6
/// addresses are matched as IPv4.
class TrustedProxies {
public:
    TrustedProxies() = default;
    /// Throws std::invalid_argument naming the first invalid entry.
    explicit TrustedProxies(const std::vector<std::string>& entries);

    /// Whether `entry` is a valid IP or CIDR; `why` receives the reason if not.
    static bool validEntry(std::string_view entry, std::string* why = nullptr);

    bool empty() const noexcept { return nets_.empty(); }
    bool contains(std::string_view ip) const noexcept;

private:
    struct Net {
        bool v6;
        std::array<std::uint8_t, 16> addr;
        int prefix;
    };
    std::vector<Net> nets_;
};

/// The original's reading of one forwarding header: split on ',', trim each
/// item; if any item is not an IP literal the header is ignored (nullopt);
/// otherwise the left-most item, as sent (trimmed).
std::optional<std::string> forwardedClientIp(std::string_view headerValue);

/// `peer` must already be normalised. Headers are only consulted when the peer
/// is trusted; X-Forwarded-For wins over X-Real-IP.
std::string resolveClientIp(const std::string& peer, const TrustedProxies& trusted,
                            const std::optional<std::string>& xForwardedFor,
                            const std::optional<std::string>& xRealIp);

}  // namespace cpa::core
