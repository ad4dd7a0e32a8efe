#include "metric_sources.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace cpa::metrics {

std::shared_ptr<void> SourceRegistry::add(Source source) {
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        id = nextId_++;
        entries_.push_back({id, std::move(source)});
    }
    std::weak_ptr<SourceRegistry> self = weak_from_this();
    // The handle: destroying it unregisters the source (a module does so in stop()).
    return std::shared_ptr<void>(nullptr, [self, id](void*) {
        if (auto registry = self.lock()) registry->remove(id);
    });
}

void SourceRegistry::remove(std::uint64_t id) noexcept {
    std::list<Entry> gone;  // the source's captures are destroyed outside the lock
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->id == id) {
            gone.splice(gone.end(), entries_, it);
            break;
        }
    }
}

void SourceRegistry::write(PrometheusText& out) const {
    std::vector<sdk::MetricSample> samples;
    {
        std::lock_guard lock(mutex_);
        for (const Entry& e : entries_) {
            try {
                e.source(samples);
            } catch (...) {
                // A failing source leaves out its own samples only.
            }
        }
    }
    std::stable_sort(samples.begin(), samples.end(),
                     [](const sdk::MetricSample& a, const sdk::MetricSample& b) { return a.name < b.name; });
    std::string last;
    for (const sdk::MetricSample& s : samples) {
        if (s.name != last) {
            out.family(s.name, s.counter ? "counter" : "gauge", s.help);
            last = s.name;
        }
        out.sample(s.name, s.labels, s.value);
    }
}

}  // namespace cpa::metrics
