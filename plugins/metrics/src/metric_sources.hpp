#pragma once
// cpa.MetricSources/1: other modules' counters (log-queue drops, credential
// states) added to every scrape without the metrics module knowing them.
#include "prometheus_text.hpp"

#include <cpa/sdk/observability.hpp>

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>

namespace cpa::metrics {

class SourceRegistry final : public sdk::MetricSources, public std::enable_shared_from_this<SourceRegistry> {
public:
    std::shared_ptr<void> add(Source source) override;
    /// Calls every source and writes its samples, HELP/TYPE once per name.
    void write(PrometheusText& out) const;

private:
    struct Entry {
        std::uint64_t id;
        Source source;
    };
    void remove(std::uint64_t id) noexcept;

    mutable std::mutex mutex_;  // held while sources run: a removal waits for a scrape in progress
    std::list<Entry> entries_;
    std::uint64_t nextId_ = 1;
};

}  // namespace cpa::metrics
