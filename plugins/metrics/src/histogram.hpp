#pragma once
// Latency histograms in the Prometheus layout: cumulative buckets, _sum, _count.
#include "series_table.hpp"

#include <array>
#include <cstdint>

namespace cpa::metrics {

/// Upper bounds in seconds (le), without +Inf.
inline constexpr std::array<double, 14> kLatencyBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                          1,     2.5,  5,     10,   30,  60,  120};
/// Row layout: one count per bound, then the +Inf overflow bucket, then the sum
/// in ns (the count is the buckets' total).
inline constexpr std::size_t kHistInf = kLatencyBounds.size();
inline constexpr std::size_t kHistSumNs = kHistInf + 1;
inline constexpr std::size_t kHistValues = kHistSumNs + 1;

using HistogramTable = SeriesTable<kHistValues>;

/// Adds one observation of `ns` nanoseconds to `row` (non-cumulative buckets;
/// the writer accumulates).
inline void observe(HistogramTable::Row& row, std::int64_t ns) noexcept {
    if (ns < 0) ns = 0;
    const double s = static_cast<double>(ns) / 1e9;
    std::size_t b = 0;
    while (b < kLatencyBounds.size() && s > kLatencyBounds[b]) ++b;
    row.add(b, 1);
    row.add(kHistSumNs, static_cast<std::uint64_t>(ns));
}

}  // namespace cpa::metrics
