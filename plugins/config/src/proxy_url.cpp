#include "proxy_url.hpp"

#include <cpa/sdk/text.hpp>

namespace cpa::config {
std::optional<ProxySetting> parseProxySetting(std::string_view value) {
    const std::string v = sdk::trimAscii(value);
    ProxySetting s;
    if (v.empty()) return s;
    const std::string lower = sdk::lowerAscii(v);
    if (lower == "direct" || lower == "none") {
        s.mode = ProxyMode::Direct;
        return s;
    }
    auto ep = sdk::parseProxyUrl(v);
    if (!ep) return std::nullopt;
    s.mode = ProxyMode::Url;
    s.endpoint = std::move(*ep);
    return s;
}

}  // namespace cpa::config
