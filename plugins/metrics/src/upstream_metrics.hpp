#pragma once
// Upstream attempts from the data plane's `usage.record` (docs/events.md):
// attempts by provider, credential (auth index), model and outcome; tokens by
// kind; attempt latency by provider. Never the key: only `auth_index` is read.
#include "histogram.hpp"
#include "prometheus_text.hpp"
#include "series_table.hpp"

#include <cpa/sdk/value.hpp>

namespace cpa::metrics {

class UpstreamMetrics {
public:
    UpstreamMetrics() : attempts_(4096), tokens_(4096), latency_(256) {}
    void record(const sdk::Value& usageRecord) noexcept;
    void write(PrometheusText& out) const;
    std::uint64_t overflow() const noexcept {
        return attempts_.overflow() + tokens_.overflow() + latency_.overflow();
    }

    /// Token kinds, in the row's value order.
    static constexpr std::size_t kPrompt = 0, kCompletion = 1, kCached = 2, kReasoning = 3, kKinds = 4;

private:
    SeriesTable<1> attempts_;
    SeriesTable<kKinds> tokens_;
    HistogramTable latency_;
};

}  // namespace cpa::metrics
