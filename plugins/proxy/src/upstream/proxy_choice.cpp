#include "upstream/proxy_choice.hpp"

#include <cpa/sdk/module.hpp>
#include <cpa/sdk/outbound_proxy.hpp>
#include <cpa/sdk/text.hpp>

#include <cstdlib>

namespace cpa::proxy::upstream {
namespace {

std::string env(const char* upper, const char* lower) {
    if (const char* v = std::getenv(upper); v && *v) return v;
    if (const char* v = std::getenv(lower); v && *v) return v;
    return {};
}

bool isLoopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::optional<Url> parseProxy(const std::string& text) {
    const auto p = sdk::parseProxyUrl(text.find("://") == std::string::npos ? "http://" + text : text);
    if (!p) return std::nullopt;
    Url u;
    u.scheme = p->scheme;
    u.host = p->host;
    u.port = p->port;
    u.target.assign(1, '/');  // (not = "/": GCC 12 -Wrestrict misfires at -O2)
    u.user = p->user;
    u.password = p->password;
    return u;
}

}  // namespace

std::optional<Url> chooseProxy(const std::string& credentialProxy, const std::string& globalProxy,
                               const Url& target, bool useEnvironment, cpa::sdk::Logger& log) {
    std::string configured = sdk::trimAscii(credentialProxy);
    if (configured.empty()) configured = sdk::trimAscii(globalProxy);
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
    if (!useEnvironment || isLoopback(target.host) || sdk::noProxyExcludes(env("NO_PROXY", "no_proxy"), target.host))
        return std::nullopt;
    const std::string fromEnv =
        target.scheme == "https" ? env("HTTPS_PROXY", "https_proxy") : env("HTTP_PROXY", "http_proxy");
    if (fromEnv.empty()) return std::nullopt;
    return parseProxy(fromEnv);
}

}  // namespace cpa::proxy::upstream
