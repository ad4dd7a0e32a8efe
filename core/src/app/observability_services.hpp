#pragma once
// The core's side of issue 25: the gauges and the management access rule it
// lends to modules (cpa/sdk/observability.hpp), and the `log-format` switch.
#include "config/file_config_store.hpp"
#include "http/access_guard.hpp"
#include "http/http_server.hpp"

#include <cpa/sdk/observability.hpp>
#include <cpa/sdk/services.hpp>

#include <atomic>
#include <memory>

namespace cpa::core {

/// `cpa.ServerGauges/1`: reads the server while one is attached.
class CoreGauges final : public sdk::ServerGauges {
public:
    explicit CoreGauges(std::shared_ptr<FileConfigStore> store) : store_(std::move(store)) {}
    sdk::ServerGaugeValues read() const override;
    /// Attach after the server is built; detach (nullptr) before it is destroyed.
    void attach(const HttpServer* server) noexcept { server_.store(server, std::memory_order_release); }

private:
    std::shared_ptr<FileConfigStore> store_;
    std::atomic<const HttpServer*> server_{nullptr};
};

/// Provides `cpa.ServerGauges/1` and `cpa.ManagementAccess/1` (over the
/// management guard, so bans and key checks are the management API's own).
std::shared_ptr<CoreGauges> provideObservabilityServices(sdk::Services& services,
                                                         std::shared_ptr<FileConfigStore> store,
                                                         std::shared_ptr<AccessGuard> managementGuard);

/// `log-format: json` → JSON log lines; anything else → text.
void applyLogFormat(const sdk::ConfigSnapshot& snap) noexcept;

}  // namespace cpa::core
