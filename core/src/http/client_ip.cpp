#include "http/client_ip.hpp"

#include "http/forwarded_header.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace cpa::core {

namespace {

struct ParsedIp {
    bool v6 = false;
    std::array<std::uint8_t, 16> addr{};  // IPv4 uses the first 4 bytes
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<ParsedIp> parseIp(std::string_view text) {
    if (text.empty() || text.size() > 64) return std::nullopt;
    std::string s(text);
    ParsedIp ip;
    if (s.find(':') == std::string::npos) {
        if (::inet_pton(AF_INET, s.c_str(), ip.addr.data()) != 1) return std::nullopt;
        return ip;
    }
    if (const auto pct = s.find('%'); pct != std::string::npos) {
        if (pct + 1 == s.size()) return std::nullopt;
        s.resize(pct);
    }
    if (::inet_pton(AF_INET6, s.c_str(), ip.addr.data()) != 1) return std::nullopt;
    ip.v6 = true;
    return ip;
}

bool isV4Mapped(const ParsedIp& ip) {
    static constexpr std::uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return ip.v6 && std::memcmp(ip.addr.data(), kPrefix, 12) == 0;
}

ParsedIp unmap(ParsedIp ip) {
    if (!isV4Mapped(ip)) return ip;
    ParsedIp v4;
    std::memcpy(v4.addr.data(), ip.addr.data() + 12, 4);
    return v4;
}

bool prefixEqual(const std::uint8_t* a, const std::uint8_t* b, int bits) {
    const int whole = bits / 8;
    if (std::memcmp(a, b, static_cast<std::size_t>(whole)) != 0) return false;
    const int rest = bits % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

std::optional<std::string> canonicalIp(std::string_view text) {
    const std::string_view host = text.substr(0, text.find('%'));
    if (host.size() != text.size() && host.find(':') == std::string_view::npos) return std::nullopt;
    const auto ip = parseIp(host);
    if (!ip) return std::nullopt;
    const ParsedIp plain = unmap(*ip);
    char buf[INET6_ADDRSTRLEN] = {};
    if (::inet_ntop(plain.v6 ? AF_INET6 : AF_INET, plain.addr.data(), buf, sizeof buf) == nullptr) return std::nullopt;
    return std::string(buf);
}

bool isIpLiteral(std::string_view text) noexcept {
    try {
        return parseIp(text).has_value();
    } catch (...) {
        return false;
    }
}

std::string normalizePeerAddress(std::string_view ip) {
    std::string_view t = ip;
    if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
    if (const auto pct = t.find('%'); pct != std::string_view::npos && t.find(':') != std::string_view::npos)
        t = t.substr(0, pct);
    const auto parsed = parseIp(t);
    if (!parsed) return std::string(ip);
    if (isV4Mapped(*parsed)) {
        char buf[INET_ADDRSTRLEN] = {};
        if (::inet_ntop(AF_INET, parsed->addr.data() + 12, buf, sizeof buf) != nullptr) return buf;
    }
    return std::string(t);
}

bool TrustedProxies::validEntry(std::string_view entry, std::string* why) {
    const std::string_view e = trim(entry);
    const auto slash = e.find('/');
    const auto ip = parseIp(e.substr(0, slash));
    if (!ip || e.substr(0, slash).find('%') != std::string_view::npos) {
        if (why) *why = "not an IP address or CIDR";
        return false;
    }
    if (slash == std::string_view::npos) return true;
    const std::string_view bits = e.substr(slash + 1);
    int prefix = -1;
    const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    const int max = ip->v6 ? 128 : 32;
    if (bits.empty() || ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 || prefix > max) {
        if (why) *why = "bad prefix length (0-" + std::to_string(max) + ")";
        return false;
    }
    return true;
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
    for (const std::string& raw : entries) {
        std::string why;
        if (!validEntry(raw, &why)) throw std::invalid_argument("invalid trusted proxy \"" + raw + "\": " + why);
        const std::string_view e = trim(raw);
        const auto slash = e.find('/');
        ParsedIp ip = *parseIp(e.substr(0, slash));
        int prefix = ip.v6 ? 128 : 32;
        if (slash != std::string_view::npos) {
            const std::string_view bits = e.substr(slash + 1);
            std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
        }
        // "::ffff:10.0.0.0/104" is the IPv4 network 10.0.0.0/8.
        if (isV4Mapped(ip) && prefix >= 96) {
            ip = unmap(ip);
            prefix -= 96;
        }
        nets_.push_back(Net{ip.v6, ip.addr, prefix});
    }
}

bool TrustedProxies::contains(std::string_view text) const noexcept {
    if (nets_.empty()) return false;
    std::optional<ParsedIp> ip;
    try {
        ip = parseIp(text);
    } catch (...) {
        return false;
    }
    if (!ip) return false;
    const ParsedIp addr = unmap(*ip);
    for (const Net& n : nets_) {
        if (n.v6 == addr.v6 && prefixEqual(n.addr.data(), addr.addr.data(), n.prefix)) return true;
    }
    return false;
}

std::string resolveClientIp(const std::string& peer, const TrustedProxies& trusted, const HeaderLookup& header) {
    if (!trusted.contains(peer)) return peer;
    // One header decides; a blank one says nothing and the next is asked.
    if (auto v = header("X-Forwarded-For")) {
        if (std::string c = clientFromHops(parseXForwardedFor(*v), trusted); !c.empty()) return c;
    }
    if (auto v = header("Forwarded")) {
        if (std::string c = clientFromHops(parseForwarded(*v), trusted); !c.empty()) return c;
    }
    if (auto v = header("X-Real-IP")) {
        if (std::string c = clientFromHops(parseXForwardedFor(*v), trusted); !c.empty()) return c;
    }
    return peer;
}

}  // namespace cpa::core
