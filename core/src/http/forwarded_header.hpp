#pragma once
// Forwarding headers read as proxies write them (deviation D1): each proxy
// appends the address it saw, so only the right-hand end of a header is
// trustworthy. Parsing is pure (no state, no I/O), so a fuzz target can
// call it directly.
#include <string>
#include <string_view>
#include <vector>

namespace cpa::core {

class TrustedProxies;

/// One hop named by a forwarding header. `address` is the canonical IP text
/// (port, brackets, quotes and IPv6 zone removed, IPv4-mapped IPv6 as dotted
/// IPv4, IPv6 compressed as inet_ntop writes it); empty when the entry is not
/// an IP (garbage, "unknown", an obfuscated "_node", an empty list item).
struct ForwardedHop {
    std::string address;
    bool valid() const noexcept { return !address.empty(); }
};

/// X-Forwarded-For or X-Real-IP: comma-separated items, each "ip", "ipv4:port",
/// "ipv6", "[ipv6]" or "[ipv6]:port". Hops left (client side) to right (the
/// nearest proxy); an empty or blank value gives no hops.
std::vector<ForwardedHop> parseXForwardedFor(std::string_view value);

/// RFC 7239 `Forwarded`: comma-separated elements of ';'-separated pairs; the
/// `for=` value (token or quoted-string, IPv6 as "[v6]" with an optional port)
/// of each element is one hop. An element without a usable `for=` is an
/// unparsable hop. A blank value gives no hops.
std::vector<ForwardedHop> parseForwarded(std::string_view value);

/// The client a chain of hops names, read right to left: trusted proxies are
/// skipped, the first untrusted address is the client; an unparsable hop ends
/// the walk as kUnparsableForwardedClient. When every hop is trusted, the
/// left-most one. No hops: empty string (the header says nothing).
std::string clientFromHops(const std::vector<ForwardedHop>& hops, const TrustedProxies& trusted);

/// The client address when a trusted proxy forwards something unparsable.
/// Not an IP, so never local and never the key of anyone else's ban; the
/// access log shows it as the client.
inline constexpr std::string_view kUnparsableForwardedClient = "unparsable-forwarded-address";

}  // namespace cpa::core
