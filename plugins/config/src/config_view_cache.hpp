#pragma once
// GET /config's body, rendered once per configuration snapshot: the view only
// changes with the document, and building it (a tree of a few hundred values,
// then its JSON) was most of the route's CPU (docs/benchmarks.md, issue 22).
#include <cpa/sdk/config.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace cpa::config {

class ConfigViewCache {
public:
    /// The JSON of configView(snapshot->root()); rendered when `snapshot` is
    /// not the one rendered last (a reload publishes a new snapshot object).
    std::shared_ptr<const std::string> body(const sdk::SnapshotPtr& snapshot);

private:
    std::mutex mutex_;
    sdk::SnapshotPtr rendered_;  ///< kept alive so its address is never reused by another snapshot
    std::shared_ptr<const std::string> body_;
};

}  // namespace cpa::config
