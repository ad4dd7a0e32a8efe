#include "app/server_options_reader.hpp"

#include <cstdint>
#include <limits>

namespace cpa::core {
namespace {

int intIn(const sdk::ConfigSnapshot& s, const char* key, int fallback, std::int64_t min, std::int64_t max) {
    const std::int64_t v = s.getInt(key, fallback);
    return v < min || v > max ? fallback : static_cast<int>(v);
}

}  // namespace

ServerOptions readServerOptions(const sdk::ConfigSnapshot& s, int defaultMaxThreads) {
    constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
    ServerOptions o;
    o.maxThreads = defaultMaxThreads;
    o.host = s.getString("host", "");
    o.port = intIn(s, "port", 8317, 0, 65535);
    o.maxThreads = intIn(s, "http-server.max-threads", o.maxThreads, 1, kIntMax);
    o.maxQueued = intIn(s, "http-server.max-queued", o.maxQueued, 1, kIntMax);
    o.keepAliveTimeoutSeconds =
        intIn(s, "http-server.keep-alive-timeout-seconds", o.keepAliveTimeoutSeconds, 1, kIntMax);
    o.headerTimeoutSeconds = intIn(s, "http-server.header-timeout-seconds", o.headerTimeoutSeconds, 1, kIntMax);
    o.maxConnectionsPerIp = intIn(s, "http-server.max-connections-per-ip", o.maxConnectionsPerIp, 0, kIntMax);
    const int bodyMb = intIn(s, "http-server.max-request-body-mb", static_cast<int>(o.maxBodyBytes >> 20), 1,
                             1 << 20);
    o.maxBodyBytes = static_cast<std::size_t>(bodyMb) << 20;
    const int mgmtKb = intIn(s, "http-server.max-management-body-kb", static_cast<int>(o.maxManagementBodyBytes >> 10),
                             1, 1 << 30);
    o.maxManagementBodyBytes = static_cast<std::size_t>(mgmtKb) << 10;
    o.shutdownDrainSeconds = intIn(s, "http-server.shutdown-drain-seconds", o.shutdownDrainSeconds, 0, kIntMax);
    if (const sdk::Value* list = s.find("trusted-proxies"); list != nullptr && list->isArray()) {
        for (const sdk::Value& v : list->asArray()) {
            if (v.isString() && !v.asString().empty()) o.trustedProxies.push_back(v.asString());
        }
    }
    return o;
}

std::string listenAddressText(const std::string& host, unsigned port) {
    std::string h = host.empty() ? std::string("0.0.0.0") : host;
    // A bare IPv6 literal gets brackets so the port stays unambiguous.
    if (h.find(':') != std::string::npos && h.front() != '[') h = "[" + h + "]";
    return h + ":" + std::to_string(port);
}

}  // namespace cpa::core
