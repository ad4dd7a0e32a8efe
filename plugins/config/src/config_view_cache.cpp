#include "config_view_cache.hpp"

#include "config_view.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::config {

std::shared_ptr<const std::string> ConfigViewCache::body(const sdk::SnapshotPtr& snapshot) {
    {
        std::lock_guard lock(mutex_);
        if (snapshot == rendered_ && body_) return body_;
    }
    // Rendered outside the lock: two threads meeting a new snapshot both
    // render it once, and neither waits for the other.
    auto rendered = std::make_shared<const std::string>(sdk::toJson(configView(snapshot->root())));
    std::lock_guard lock(mutex_);
    if (!rendered_ || snapshot->generation() >= rendered_->generation()) {
        rendered_ = snapshot;
        body_ = rendered;
    }
    return rendered;
}

}  // namespace cpa::config
