#pragma once
// Writes the Prometheus text exposition format (version 0.0.4).
#include "histogram.hpp"

#include <cpa/sdk/observability.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace cpa::metrics {

/// `name="value"` pairs rendered in order (the SDK's escaping rules).
using sdk::renderMetricLabels;
inline std::string renderLabels(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
    return renderMetricLabels(pairs);
}

class PrometheusText {
public:
    /// The HELP and TYPE lines; once per metric name, before its samples.
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, std::string_view labels, double value);
    void sample(std::string_view name, std::string_view labels, std::uint64_t value);
    /// `name`_bucket/_sum/_count of one histogram row.
    void histogram(std::string_view name, const HistogramTable::Row& row);

    const std::string& text() const noexcept { return out_; }
    std::string take() { return std::move(out_); }

private:
    void head(std::string_view name, std::string_view labels);
    std::string out_;
};

}  // namespace cpa::metrics
