#include "upstream/url.hpp"

#include <Poco/URI.h>

#include <algorithm>
#include <cctype>

namespace cpa::proxy::upstream {
namespace {

int defaultPort(const std::string& scheme) {
    if (scheme == "https") return 443;
    if (scheme == "http") return 80;
    if (scheme == "socks5" || scheme == "socks5h") return 1080;
    return 0;
}

std::string decode(const std::string& s) {
    std::string out;
    try {
        Poco::URI::decode(s, out);
    } catch (const std::exception&) {
        return s;
    }
    return out;
}

}  // namespace

std::string Url::hostHeader() const {
    const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port == defaultPort(scheme) ? h : h + ":" + std::to_string(port);
}

std::optional<Url> parseUrl(const std::string& text) {
    const auto sep = text.find("://");
    if (sep == std::string::npos || sep == 0) return std::nullopt;
    Url u;
    u.scheme = text.substr(0, sep);
    std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string rest = text.substr(sep + 3);
    const auto pathPos = rest.find_first_of("/?#");
    std::string authority = rest.substr(0, pathPos);
    u.target = pathPos == std::string::npos ? "/" : rest.substr(pathPos);
    if (const auto hash = u.target.find('#'); hash != std::string::npos) u.target.erase(hash);
    if (u.target.empty() || u.target[0] == '?') u.target = "/" + u.target;
    if (const auto at = authority.rfind('@'); at != std::string::npos) {
        const std::string info = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = info.find(':');
        u.user = decode(info.substr(0, colon));
        if (colon != std::string::npos) u.password = decode(info.substr(colon + 1));
    }
    std::string portText;
    if (!authority.empty() && authority[0] == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        u.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return std::nullopt;
            portText = authority.substr(close + 2);
        }
    } else {
        const auto colon = authority.rfind(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string::npos) portText = authority.substr(colon + 1);
    }
    if (u.host.empty()) return std::nullopt;
    u.port = defaultPort(u.scheme);
    if (!portText.empty()) {
        if (portText.size() > 5 || !std::all_of(portText.begin(), portText.end(), ::isdigit)) return std::nullopt;
        u.port = std::stoi(portText);
    }
    if (u.port <= 0 || u.port > 65535) return std::nullopt;
    return u;
}

}  // namespace cpa::proxy::upstream
