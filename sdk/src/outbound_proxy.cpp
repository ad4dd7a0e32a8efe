#include <cpa/sdk/base64.hpp>
#include <cpa/sdk/outbound_proxy.hpp>
#include <cpa/sdk/text.hpp>

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace cpa::sdk {

namespace {

std::uint16_t defaultPort(const std::string& scheme) {
    if (scheme == "http") return 80;
    if (scheme == "https") return 443;
    return 1080;  // socks5, socks5h
}

void appendField(std::string& out, const std::string& field, const char* what) {
    if (field.size() > 255) throw ProxyError(std::string("SOCKS5 ") + what + " too long");
    out += static_cast<char>(field.size());
    out += field;
}

}  // namespace

ProxyError::~ProxyError() = default;

std::optional<ProxyEndpoint> parseProxyUrl(std::string_view url) {
    const std::string text = trimAscii(url);
    // A scheme is mandatory: "host:port" alone is not a proxy URL.
    const auto sep = text.find("://");
    if (sep == std::string::npos) return std::nullopt;
    ProxyEndpoint ep;
    ep.scheme = lowerAscii(text.substr(0, sep));
    if (ep.scheme != "http" && ep.scheme != "https" && ep.scheme != "socks5" && ep.scheme != "socks5h") {
        return std::nullopt;
    }
    try {
        const Poco::URI uri(text);
        ep.host = uri.getHost();
        if (ep.host.empty()) return std::nullopt;
        const unsigned short specified = uri.getSpecifiedPort();
        ep.port = specified != 0 ? specified : defaultPort(ep.scheme);
        const std::string info = uri.getUserInfo();
        if (!info.empty()) {
            ep.hasCredentials = true;
            const auto colon = info.find(':');
            // Poco keeps the user-info encoded; a proxy wants the real text.
            Poco::URI::decode(info.substr(0, colon), ep.user);
            if (colon != std::string::npos) Poco::URI::decode(info.substr(colon + 1), ep.password);
        }
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
    if (ep.port == 0) return std::nullopt;
    return ep;
}

bool isSocks5(const ProxyEndpoint& proxy) noexcept { return proxy.scheme == "socks5" || proxy.scheme == "socks5h"; }

std::string proxyBasicAuth(const ProxyEndpoint& proxy) {
    return proxy.hasCredentials ? "Basic " + base64Encode(proxy.user + ":" + proxy.password) : std::string();
}

bool noProxyExcludes(std::string_view noProxy, std::string_view host) {
    const std::string h = lowerAscii(host);
    std::size_t start = 0;
    while (start <= noProxy.size()) {
        const std::size_t comma = noProxy.find(',', start);
        std::string item = lowerAscii(trimAscii(noProxy.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
        start = comma == std::string_view::npos ? noProxy.size() + 1 : comma + 1;
        if (item.empty()) continue;
        if (item == "*") return true;
        if (const auto colon = item.rfind(':'); colon != std::string::npos && item.find(']') == std::string::npos &&
                                                  item.find(':') == colon) {
            item.erase(colon);  // host:port entries: the port is not compared
        }
        if (item.front() == '.') item.erase(0, 1);
        if (item.empty()) continue;
        if (h == item || (h.size() > item.size() && h.ends_with("." + item))) return true;
    }
    return false;
}

std::string hostPort(const std::string& host, std::uint16_t port) {
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace socks5 {

std::string greeting(const ProxyEndpoint& proxy) {
    return proxy.hasCredentials ? std::string("\x05\x02\x00\x02", 4) : std::string("\x05\x01\x00", 3);
}

std::string authRequest(const ProxyEndpoint& proxy) {
    std::string out(1, '\x01');
    appendField(out, proxy.user, "user name");
    appendField(out, proxy.password, "password");
    return out;
}

std::string connectRequest(const std::string& host, std::uint16_t port) {
    std::string out("\x05\x01\x00\x03", 4);
    appendField(out, host, "host name");
    out += static_cast<char>(port >> 8);
    out += static_cast<char>(port & 0xFF);
    return out;
}

void checkReply(unsigned char version, unsigned char code) {
    if (version != 0x05) throw ProxyError("not a SOCKS5 proxy");
    switch (code) {
    case 0: return;
    case 1: throw ProxyError("SOCKS5 connect failed: general SOCKS server failure");
    case 2: throw ProxyError("SOCKS5 connect failed: connection not allowed by ruleset");
    case 3: throw ProxyError("SOCKS5 connect failed: network unreachable");
    case 4: throw ProxyError("SOCKS5 connect failed: host unreachable");
    case 5: throw ProxyError("SOCKS5 connect failed: connection refused");
    case 6: throw ProxyError("SOCKS5 connect failed: TTL expired");
    case 7: throw ProxyError("SOCKS5 connect failed: command not supported");
    case 8: throw ProxyError("SOCKS5 connect failed: address type not supported");
    default: throw ProxyError("SOCKS5 connect failed with code " + std::to_string(code));
    }
}

}  // namespace socks5

}  // namespace cpa::sdk
