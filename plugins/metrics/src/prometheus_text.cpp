#include "prometheus_text.hpp"

#include <cmath>
#include <cstdio>

namespace cpa::metrics {

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
}

void PrometheusText::head(std::string_view name, std::string_view labels) {
    out_ += name;
    if (!labels.empty()) {
        out_ += '{';
        out_ += labels;
        out_ += '}';
    }
    out_ += ' ';
}

void PrometheusText::sample(std::string_view name, std::string_view labels, double value) {
    head(name, labels);
    char buf[40];
    if (std::isnan(value)) {
        out_ += "NaN";
    } else if (std::isinf(value)) {
        out_ += value > 0 ? "+Inf" : "-Inf";
    } else {
        std::snprintf(buf, sizeof buf, "%.17g", value);
        out_ += buf;
    }
    out_ += '\n';
}

void PrometheusText::sample(std::string_view name, std::string_view labels, std::uint64_t value) {
    head(name, labels);
    out_ += std::to_string(value);
    out_ += '\n';
}

void PrometheusText::histogram(std::string_view name, const HistogramTable::Row& row) {
    const std::string bucket = std::string(name) + "_bucket";
    const std::string sep = row.labels.empty() ? "" : ",";
    std::uint64_t cumulative = 0;
    char le[32];
    for (std::size_t b = 0; b < kLatencyBounds.size(); ++b) {
        cumulative += row.get(b);
        std::snprintf(le, sizeof le, "%g", kLatencyBounds[b]);
        sample(bucket, row.labels + sep + "le=\"" + le + "\"", cumulative);
    }
    cumulative += row.get(kHistInf);
    // Count from the buckets, so _count and the +Inf bucket always agree even
    // while observations land during the scrape.
    sample(bucket, row.labels + sep + "le=\"+Inf\"", cumulative);
    sample(std::string(name) + "_sum", row.labels, static_cast<double>(row.get(kHistSumNs)) / 1e9);
    sample(std::string(name) + "_count", row.labels, cumulative);
}

}  // namespace cpa::metrics
