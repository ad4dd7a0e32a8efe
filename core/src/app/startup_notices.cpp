#include "app/startup_notices.hpp"

#include "auth/client_key_guard.hpp"

#include <cpa/sdk/text.hpp>

#include <arpa/inet.h>

#include <algorithm>

namespace cpa::core {
namespace {

StartupNotice openProxyWarning(const std::string& host, const std::string& configFile) {
    const std::string where = host.empty() ? "every interface (host: \"\")" : "host " + host;
    return {sdk::LogLevel::Warning,
            "the proxy API listens on " + where + " and api-keys is empty: anyone who can reach this port can "
            "use the configured provider credentials. Add client keys under api-keys, or set host: "
            "\"127.0.0.1\" in " + configFile};
}

StartupNotice managementNotice(const sdk::ConfigSnapshot& snap, const std::string& configFile, bool envPassword) {
    const bool secret = !sdk::trimAscii(snap.getString("remote-management.secret-key", "")).empty();
    if (!secret && !envPassword) {
        return {sdk::LogLevel::Info,
                "management API is off (no remote-management.secret-key): set one in " + configFile +
                    " (it is replaced by its bcrypt hash on load) or start with MANAGEMENT_PASSWORD "
                    "to enable /v0/management and the web panel"};
    }
    const bool remote = snap.getBool("remote-management.allow-remote", false);
    std::string text = "management API is on at /v0/management (";
    text += remote ? "remote clients allowed with the key" : "local clients only; remote-management.allow-remote "
                                                             "admits others";
    if (envPassword) text += "; MANAGEMENT_PASSWORD from any address";
    text += ")";
    if (snap.getBool("remote-management.disable-control-panel", false)) {
        text += "; web panel disabled";
    } else {
        text += "; web panel at /management.html";
    }
    return {sdk::LogLevel::Info, std::move(text)};
}

}  // namespace

bool isLoopbackHost(const std::string& raw) {
    std::string host = sdk::trimAscii(raw);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host == "localhost") return true;
    unsigned char buf[16];
    if (::inet_pton(AF_INET, host.c_str(), buf) == 1) return buf[0] == 127;
    if (::inet_pton(AF_INET6, host.c_str(), buf) == 1) {
        static const unsigned char kLoopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        return std::equal(buf, buf + 16, kLoopback6);
    }
    return false;
}

std::vector<StartupNotice> startupNotices(const sdk::ConfigSnapshot& snap, const std::string& configFile,
                                          bool managementPasswordSet) {
    std::vector<StartupNotice> out;
    const std::string host = snap.getString("host", "");
    if (!isLoopbackHost(host) && ClientKeyGuard::normaliseKeys(snap.find("api-keys")).empty()) {
        out.push_back(openProxyWarning(sdk::trimAscii(host), configFile));
    }
    out.push_back(managementNotice(snap, configFile, managementPasswordSet));
    return out;
}

}  // namespace cpa::core
