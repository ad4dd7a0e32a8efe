#pragma once
// GET /metrics in the Prometheus text format (issue 25). Loopback clients are
// served when `metrics.enabled` (default true); remote ones when
// `metrics.allow-remote` or with the management key under the management API's
// own rules (cpa.ManagementAccess/1, the core's guard: bans included).
#include "metric_sources.hpp"
#include "request_metrics.hpp"
#include "upstream_metrics.hpp"

#include <cpa/sdk/module.hpp>
#include <cpa/sdk/observability.hpp>

#include <memory>
#include <string>

namespace cpa::metrics {

class MetricsModule : public sdk::Module {
public:
    void configure(sdk::ModuleContext& context) override;
    void registerRoutes(sdk::RouteRegistry& routes) override;
    void start() override;
    void stop() noexcept override;

    /// The whole exposition, as a scrape returns it.
    std::string render() const;
    UpstreamMetrics& upstream() { return *upstream_; }
    RequestMetrics& requests() { return *requests_; }

private:
    void serve(sdk::Request& req, sdk::Response& res) const;

    sdk::ModuleContext* context_ = nullptr;
    std::shared_ptr<RequestMetrics> requests_;
    std::shared_ptr<UpstreamMetrics> upstream_;
    std::shared_ptr<SourceRegistry> sources_;
    std::shared_ptr<void> usageSubscription_;
    std::shared_ptr<sdk::ServerGauges> gauges_;
    std::shared_ptr<sdk::ManagementAccess> access_;
};

}  // namespace cpa::metrics
