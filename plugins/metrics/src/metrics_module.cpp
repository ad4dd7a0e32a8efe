#include "metrics_module.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/services.hpp>

namespace cpa::metrics {

namespace {

bool loopback(const std::string& ip) { return ip == "127.0.0.1" || ip == "::1"; }

}  // namespace

void MetricsModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
    using T = sdk::ConfigType;
    context.config().declare(
        {"metrics", {{"metrics", T::Mapping}, {"metrics.enabled", T::Bool}, {"metrics.allow-remote", T::Bool}}, {}});
    requests_ = std::make_shared<RequestMetrics>();
    upstream_ = std::make_shared<UpstreamMetrics>();
    sources_ = std::make_shared<SourceRegistry>();
    context.services().provide(sdk::kRequestObserverService,
                               std::static_pointer_cast<sdk::RequestObserver>(requests_));
    context.services().provide(sdk::kMetricSourcesService,
                               std::static_pointer_cast<sdk::MetricSources>(sources_));
    usageSubscription_ = context.events().subscribe(std::string(sdk::kTopicUsageRecord),
                                                    [upstream = upstream_](const sdk::Value& record) {
                                                        upstream->record(record);
                                                    });
}

void MetricsModule::registerRoutes(sdk::RouteRegistry& routes) {
    routes.route(sdk::Method::Get, "/metrics", sdk::Access::Public,
                 [this](sdk::Request& req, sdk::Response& res) { serve(req, res); });
}

void MetricsModule::start() {
    // Provided by the core before any module is configured.
    gauges_ = context_->services().get(sdk::kServerGaugesService);
    access_ = context_->services().get(sdk::kManagementAccessService);
}

void MetricsModule::stop() noexcept { usageSubscription_.reset(); }

void MetricsModule::serve(sdk::Request& req, sdk::Response& res) const {
    const sdk::SnapshotPtr snap = context_->config().snapshot();
    if (!snap->getBool("metrics.enabled", true)) {
        res.setStatus(404);
        res.setBody("404 page not found", "text/plain");
        return;
    }
    if (!loopback(req.clientIp()) && !snap->getBool("metrics.allow-remote", false)) {
        if (!access_) {
            res.setStatus(403);
            res.setBody(R"({"error":"remote metrics disabled"})", "application/json; charset=utf-8");
            return;
        }
        if (access_->check(req, res) == sdk::Next::Stop) return;
    }
    res.setStatus(200);
    res.setBody(render(), "text/plain; version=0.0.4; charset=utf-8");
}

std::string MetricsModule::render() const {
    PrometheusText out;
    const sdk::BuildInfo& build = context_->build();
    out.family("cpa_build_info", "gauge", "Build of the running server (value 1).");
    out.sample("cpa_build_info",
               renderLabels({{"version", build.version}, {"commit", build.commit}, {"build_date", build.buildDate}}),
               std::uint64_t{1});

    requests_->write(out);
    upstream_->write(out);

    if (gauges_) {
        const sdk::ServerGaugeValues g = gauges_->read();
        out.family("cpa_http_open_connections", "gauge", "Open client connections (idle keep-alive included).");
        out.sample("cpa_http_open_connections", "", g.openConnections);
        out.family("cpa_http_requests_in_flight", "gauge", "Client requests being handled.");
        out.sample("cpa_http_requests_in_flight", "", g.inFlightRequests);
        out.family("cpa_http_active_streams", "gauge", "Responses streaming right now.");
        out.sample("cpa_http_active_streams", "", g.activeStreams);
        out.family("cpa_config_reloads_total", "counter", "External config edits loaded.");
        out.sample("cpa_config_reloads_total", "", g.configReloads);
        out.family("cpa_config_reload_failures_total", "counter",
                   "External config edits refused as invalid (previous config kept).");
        out.sample("cpa_config_reload_failures_total", "", g.configReloadFailures);
    }
    sources_->write(out);

    out.family("cpa_metrics_series_overflow_total", "counter",
               "Observations not counted because a series table was full.");
    out.sample("cpa_metrics_series_overflow_total", "", requests_->overflow() + upstream_->overflow());
    return out.take();
}

}  // namespace cpa::metrics
