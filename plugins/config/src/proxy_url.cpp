#include "proxy_url.hpp"

#include "text_util.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace cpa::config {
namespace {

std::uint16_t defaultPort(const std::string& scheme) {
    if (scheme == "http") return 80;
    if (scheme == "https") return 443;
    return 1080;  // socks5, socks5h
}

}  // namespace

std::optional<ProxyEndpoint> parseProxyEndpoint(std::string_view url) {
    const std::string text = trim(url);
    // A scheme is mandatory: "host:port" alone is not a supported value.
    const auto sep = text.find("://");
    if (sep == std::string::npos) return std::nullopt;
    ProxyEndpoint ep;
    ep.scheme = toLower(text.substr(0, sep));
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

std::optional<ProxySetting> parseProxySetting(std::string_view value) {
    const std::string v = trim(value);
    ProxySetting s;
    if (v.empty()) return s;
    const std::string lower = toLower(v);
    if (lower == "direct" || lower == "none") {
        s.mode = ProxyMode::Direct;
        return s;
    }
    auto ep = parseProxyEndpoint(v);
    if (!ep) return std::nullopt;
    s.mode = ProxyMode::Url;
    s.endpoint = std::move(*ep);
    return s;
}

}  // namespace cpa::config
