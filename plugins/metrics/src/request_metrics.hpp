#pragma once
// Client requests as the core reports them (cpa.RequestObserver/1): counts by
// route family, route, method and status; latency and time-to-first-byte
// histograms by family.
#include "histogram.hpp"
#include "prometheus_text.hpp"
#include "series_table.hpp"

#include <cpa/sdk/observability.hpp>

#include <string_view>

namespace cpa::metrics {

/// management, openai, claude, gemini, amp, metrics, other; unmatched when no route matched.
std::string_view routeFamily(const sdk::RequestSample& s) noexcept;

class RequestMetrics final : public sdk::RequestObserver {
public:
    RequestMetrics() : requests_(4096), latency_(64), firstByte_(64) {}
    void onRequest(const sdk::RequestSample& sample) noexcept override;
    void write(PrometheusText& out) const;
    std::uint64_t overflow() const noexcept {
        return requests_.overflow() + latency_.overflow() + firstByte_.overflow();
    }

private:
    SeriesTable<1> requests_;
    HistogramTable latency_;
    HistogramTable firstByte_;
};

}  // namespace cpa::metrics
