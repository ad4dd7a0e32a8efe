#include "http/forwarded_header.hpp"

#include "http/client_ip.hpp"

#include <cpa/sdk/text.hpp>

namespace cpa::core {

namespace {

std::string_view trimSpace(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 7239 §6: a port is digits, or an obfuscated "_" identifier.
bool validPort(std::string_view p) {
    if (p.empty()) return false;
    if (p.front() == '_') {
        for (char c : p.substr(1)) {
            const bool ok = isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
                            c == '-';
            if (!ok) return false;
        }
        return p.size() > 1;
    }
    if (p.size() > 5) return false;
    for (char c : p) {
        if (!isDigit(c)) return false;
    }
    return true;
}

// "ip", "ipv4:port", "ipv6", "[ipv6]", "[ipv6]:port" → canonical IP, or "".
std::string hopAddress(std::string_view item) {
    item = trimSpace(item);
    std::string_view host = item;
    if (!item.empty() && item.front() == '[') {
        const auto close = item.find(']');
        if (close == std::string_view::npos) return {};
        host = item.substr(1, close - 1);
        const std::string_view rest = item.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !validPort(rest.substr(1)))) return {};
        if (host.find(':') == std::string_view::npos) return {};  // brackets are for IPv6 only
    } else if (const auto colon = item.find(':');
               colon != std::string_view::npos && item.find(':', colon + 1) == std::string_view::npos) {
        host = item.substr(0, colon);  // exactly one ':': IPv4 with a port
        if (!validPort(item.substr(colon + 1))) return {};
    }
    return canonicalIp(host).value_or(std::string());
}

// Splits at `delim` outside double quotes (a backslash escapes inside quotes).
std::vector<std::string_view> splitOutsideQuotes(std::string_view s, char delim) {
    std::vector<std::string_view> out;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted && c == '\\') {
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && c == delim) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

// A token, or a complete quoted-string with its escapes resolved; nullopt
// for an unterminated quote or text after the closing one.
std::optional<std::string> paramValue(std::string_view v) {
    v = trimSpace(v);
    if (v.empty() || v.front() != '"') return std::string(v);
    std::string out;
    for (std::size_t i = 1; i < v.size(); ++i) {
        if (v[i] == '\\') {
            if (++i == v.size()) return std::nullopt;
            out += v[i];
        } else if (v[i] == '"') {
            if (i + 1 != v.size()) return std::nullopt;
            return out;
        } else {
            out += v[i];
        }
    }
    return std::nullopt;
}

// The `for=` hop of one Forwarded element ("" when absent, repeated or not an IP).
std::string forwardedElementHop(std::string_view element) {
    std::optional<std::string> forValue;
    for (std::string_view pair : splitOutsideQuotes(element, ';')) {
        pair = trimSpace(pair);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) return {};
        if (!sdk::iequals(trimSpace(pair.substr(0, eq)), "for")) continue;
        if (forValue) return {};  // RFC 7239 §4: a parameter at most once per element
        forValue = paramValue(pair.substr(eq + 1));
        if (!forValue) return {};
    }
    return forValue ? hopAddress(*forValue) : std::string();
}

}  // namespace

std::vector<ForwardedHop> parseXForwardedFor(std::string_view value) {
    std::vector<ForwardedHop> hops;
    if (trimSpace(value).empty()) return hops;
    // A plain split: X-Forwarded-For has no quoting, and a stray quote written
    // by the client must not hide the items proxies appended after it.
    for (std::size_t start = 0;;) {
        const auto comma = value.find(',', start);
        hops.push_back({hopAddress(value.substr(start, comma == std::string_view::npos ? comma : comma - start))});
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return hops;
}

std::vector<ForwardedHop> parseForwarded(std::string_view value) {
    std::vector<ForwardedHop> hops;
    if (trimSpace(value).empty()) return hops;
    for (std::string_view element : splitOutsideQuotes(value, ',')) hops.push_back({forwardedElementHop(element)});
    return hops;
}

std::string clientFromHops(const std::vector<ForwardedHop>& hops, const TrustedProxies& trusted) {
    for (std::size_t i = hops.size(); i-- > 0;) {
        // Everything left of an unparsable hop was written by someone we
        // cannot vouch for: the client stays unknown, and so remote.
        if (!hops[i].valid()) return std::string(kUnparsableForwardedClient);
        if (!trusted.contains(hops[i].address)) return hops[i].address;
    }
    return hops.empty() ? std::string() : hops.front().address;
}

}  // namespace cpa::core
