#include "proxy_choice.hpp"

#include "auth_dir.hpp"

#include <cpa/sdk/text.hpp>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

namespace cpa::oauth {

std::optional<ProxySpec> parseProxyCandidate(const std::string& raw) {
    const std::string s = trim(raw);
    if (s.empty()) return std::nullopt;
    if (sdk::iequals(s, "direct") || sdk::iequals(s, "none")) return ProxySpec{};
    try {
        Poco::URI uri(s);
        std::string scheme = uri.getScheme();
        std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
        if (scheme != "http" && scheme != "https" && scheme != "socks5" && scheme != "socks5h") return std::nullopt;
        if (uri.getHost().empty()) return std::nullopt;
        ProxySpec p;
        p.scheme = scheme;
        p.host = uri.getHost();
        p.port = uri.getPort();
        if (p.port == 0) p.port = scheme == "http" ? 80 : scheme == "https" ? 443 : 1080;
        const std::string info = uri.getUserInfo();
        const auto colon = info.find(':');
        p.user = info.substr(0, colon);
        if (colon != std::string::npos) p.password = info.substr(colon + 1);
        return p;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::optional<ProxySpec> chooseProxy(const std::vector<std::string>& candidates) {
    for (const std::string& c : candidates) {
        std::optional<ProxySpec> p = parseProxyCandidate(c);
        if (!p) continue;
        if (p->scheme.empty()) return std::nullopt;  // direct wins
        return p;
    }
    return std::nullopt;
}

}  // namespace cpa::oauth
