#pragma once
// cpa-server instances on one throwaway PostgreSQL (store: {type: postgres}).
#include "http_client.hpp"
#include "pg_cluster.hpp"
#include "server_process.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace cpa::test::pgstore {

inline constexpr const char* kMgmtKey = "pg-mgmt-key";
inline constexpr const char* kClientKey = "sk-client-pg";

/// The bootstrap file of an instance: loopback, ephemeral port, the postgres
/// store, the stock modules in `modules`, plus `extra` YAML lines.
inline std::string bootstrapConfig(const PgCluster& pg, const std::string& modules = "config, provider-keys",
                                   const std::string& extra = "") {
    return "host: \"127.0.0.1\"\nport: 0\nmodules: [" + modules + "]\n" + "api-keys: [\"" + kClientKey +
           "\"]\nremote-management:\n  secret-key: \"" + kMgmtKey + "\"\nstore:\n  type: postgres\n  dsn: \"" +
           pg.dsn() + " password=not-a-real-secret\"\n" + extra;
}

inline ServerProcessOptions instanceOptions(const std::string& bootstrap) {
    ServerProcessOptions o;
    o.configText = bootstrap;
    o.modulesDir = CPA_TEST_STOCK_MODULES_DIR;
    o.startTimeout = std::chrono::seconds(30);
    return o;
}

inline std::unique_ptr<ServerProcess> startInstance(const PgCluster& pg, const std::string& modules = "config, provider-keys",
                                                    const std::string& extra = "") {
    return std::make_unique<ServerProcess>(instanceOptions(bootstrapConfig(pg, modules, extra)));
}

inline HttpResponse mgmt(std::uint16_t port, const std::string& method, const std::string& suffix,
                         const std::string& body = {}) {
    return httpRequest(port, method, "/v0/management" + suffix, {{"Authorization", std::string("Bearer ") + kMgmtKey}},
                       body);
}

inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

}  // namespace cpa::test::pgstore
