#include "upstream/proxy_choice.hpp"

#include <cpa/sdk/module.hpp>
#include <cpa/sdk/text.hpp>

#include <cstdlib>
#include <sstream>

namespace cpa::proxy::upstream {
namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string env(const char* upper, const char* lower) {
    if (const char* v = std::getenv(upper); v && *v) return v;
    if (const char* v = std::getenv(lower); v && *v) return v;
    return {};
}

bool isLoopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

bool excludedByNoProxy(const std::string& host) {
    std::stringstream list(env("NO_PROXY", "no_proxy"));
    std::string item;
    while (std::getline(list, item, ',')) {
        item = trim(item);
        if (item.empty()) continue;
        if (item == "*") return true;
        if (const auto colon = item.rfind(':'); colon != std::string::npos && item.find(']') == std::string::npos &&
                                                item.find(':') == colon)
            item.erase(colon);  // host:port entries: match the host only
        if (item[0] == '.') item.erase(0, 1);
        if (cpa::sdk::iequals(host, item)) return true;
        if (host.size() > item.size() && host[host.size() - item.size() - 1] == '.' &&
            cpa::sdk::iequals(std::string_view(host).substr(host.size() - item.size()), item))
            return true;
    }
    return false;
}

std::optional<Url> parseProxy(const std::string& text) {
    auto u = parseUrl(text.find("://") == std::string::npos ? "http://" + text : text);
    if (!u) return std::nullopt;
    if (u->scheme != "http" && u->scheme != "https" && u->scheme != "socks5" && u->scheme != "socks5h")
        return std::nullopt;
    return u;
}

}  // namespace

std::optional<Url> chooseProxy(const std::string& credentialProxy, const std::string& globalProxy,
                               const Url& target, bool useEnvironment, cpa::sdk::Logger& log) {
    std::string configured = trim(credentialProxy);
    if (configured.empty()) configured = trim(globalProxy);
    if (!configured.empty()) {
        if (cpa::sdk::iequals(configured, "direct") || cpa::sdk::iequals(configured, "none")) return std::nullopt;
        if (configured.find("://") == std::string::npos) {
            log.warning("proxy-url has no scheme; ignoring it");
        } else if (auto u = parseProxy(configured)) {
            return u;
        } else {
            log.warning("invalid proxy-url (unsupported scheme or malformed); ignoring it");
        }
    }
    if (!useEnvironment || isLoopback(target.host) || excludedByNoProxy(target.host)) return std::nullopt;
    const std::string fromEnv =
        target.scheme == "https" ? env("HTTPS_PROXY", "https_proxy") : env("HTTP_PROXY", "http_proxy");
    if (fromEnv.empty()) return std::nullopt;
    return parseProxy(fromEnv);
}

}  // namespace cpa::proxy::upstream
