#include "app/observability_services.hpp"

#include "runtime/logger.hpp"

namespace cpa::core {

namespace {

class GuardAccess final : public sdk::ManagementAccess {
public:
    explicit GuardAccess(std::shared_ptr<AccessGuard> guard) : guard_(std::move(guard)) {}
    sdk::Next check(sdk::Request& req, sdk::Response& res) override {
        if (!guard_) {
            res.setStatus(404);  // as an Access::Management route without a guard
            return sdk::Next::Stop;
        }
        return guard_->check(req, res);
    }

private:
    std::shared_ptr<AccessGuard> guard_;
};

}  // namespace

sdk::ServerGaugeValues CoreGauges::read() const {
    sdk::ServerGaugeValues v;
    if (const HttpServer* s = server_.load(std::memory_order_acquire)) {
        v.openConnections = s->openConnections();
        v.inFlightRequests = s->inFlight();
        v.activeStreams = s->activeStreams();
    }
    if (store_) {
        const auto counts = store_->reloadCounts();
        v.configReloads = counts.reloads;
        v.configReloadFailures = counts.failures;
    }
    return v;
}

std::shared_ptr<CoreGauges> provideObservabilityServices(sdk::Services& services,
                                                         std::shared_ptr<FileConfigStore> store,
                                                         std::shared_ptr<AccessGuard> managementGuard) {
    auto gauges = std::make_shared<CoreGauges>(std::move(store));
    services.provide(sdk::kServerGaugesService, std::static_pointer_cast<sdk::ServerGauges>(gauges));
    services.provide(sdk::kManagementAccessService,
                     std::static_pointer_cast<sdk::ManagementAccess>(
                         std::make_shared<GuardAccess>(std::move(managementGuard))));
    return gauges;
}

void applyLogFormat(const sdk::ConfigSnapshot& snap) noexcept {
    try {
        LogSink::instance().setJson(snap.getString("log-format", "text") == "json");
    } catch (...) {
        // A malformed value keeps the current format.
    }
}

}  // namespace cpa::core
