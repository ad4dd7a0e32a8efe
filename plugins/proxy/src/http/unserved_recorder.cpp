#include "http/unserved_recorder.hpp"

namespace cpa::proxy {

void UnservedRecorder::onComplete(const sdk::Request& req, const sdk::Response& res) noexcept {
    if (req.method() == sdk::Method::Get || req.attribute(ProxyService::kHandledAttribute)) return;
    // Routed elsewhere (management, other modules): not the data plane's.
    // Unrouted (empty pattern): 404s and preflights, captured as the original does.
    if (!req.routePattern().empty() && patterns_.find(req.routePattern()) == patterns_.end()) return;
    try {
        service_.recordUnserved(req, res);
    } catch (...) {
        // A record is not worth failing the request's completion for.
    }
}

}  // namespace cpa::proxy
