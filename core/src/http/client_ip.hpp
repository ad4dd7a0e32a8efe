#pragma once
// Client IP resolution per deviation D1 (management-api-core.md §2.3, as
// recommended): the TCP peer, unless the peer is a configured trusted proxy,
// in which case one forwarding header names the client (forwarded_header.hpp).
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::core {

/// True for an IPv4 or IPv6 literal without brackets (an IPv6 zone "%eth0" is accepted).
bool isIpLiteral(std::string_view text) noexcept;

/// The canonical text of an IP literal (IPv6 zone dropped, IPv4-mapped IPv6 as
/// dotted IPv4, IPv6 as inet_ntop writes it); nullopt for anything else.
std::optional<std::string> canonicalIp(std::string_view text);

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

/// Every value of a request header (case-insensitive name), joined with ", "
/// in the order received; nullopt when absent.
using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// `peer` must already be normalised. Headers are only consulted when the peer
/// is trusted, and then only the first present of X-Forwarded-For, Forwarded,
/// X-Real-IP (docs/compatibility.md D1); an unparsable one does not fall
/// through to the next.
std::string resolveClientIp(const std::string& peer, const TrustedProxies& trusted, const HeaderLookup& header);

}  // namespace cpa::core
