#include "proxy_choice.hpp"

#include <cpa/sdk/text.hpp>

namespace cpa::oauth {

std::optional<ProxySpec> parseProxyCandidate(const std::string& raw) {
    const std::string s = sdk::trimAscii(raw);
    if (s.empty()) return std::nullopt;
    if (sdk::iequals(s, "direct") || sdk::iequals(s, "none")) return ProxySpec{};
    return sdk::parseProxyUrl(s);
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
