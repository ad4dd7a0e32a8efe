#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace cpa::core {

Router::Router() = default;
Router::~Router() = default;

void Router::route(sdk::Method method, std::string pattern, sdk::Access access, sdk::Handler handler) {
    if (frozen_) throw std::logic_error("route " + pattern + " registered after the server started");
    if (!handler) throw std::logic_error("route " + pattern + " has no handler");
    const std::size_t index = matcher_.add(method, pattern);  // throws on a malformed or duplicate pattern
    routes_.push_back(std::make_unique<Route>(
        Route{method, std::move(pattern), access, std::move(handler), 0, matcher_.paramNames(index)}));
}

void Router::setBodyLimit(sdk::Method method, const std::string& pattern, std::size_t maxBytes) {
    if (frozen_) throw std::logic_error("body limit of " + pattern + " set after the server started");
    for (const auto& r : routes_) {
        if (r->method == method && r->pattern == pattern) {
            r->maxBodyBytes = maxBytes;
            return;
        }
    }
    throw std::logic_error("body limit for an unregistered route " + pattern);
}

void Router::use(sdk::Phase phase, int order, std::shared_ptr<sdk::Middleware> middleware) {
    if (frozen_) throw std::logic_error("middleware registered after the server started");
    if (!middleware) throw std::logic_error("null middleware");
    auto& list = middleware_[phaseIndex(phase)];
    // upper_bound keeps registration order among equal orders.
    auto at = std::upper_bound(list.begin(), list.end(), order,
                               [](int o, const MiddlewareEntry& e) { return o < e.order; });
    list.insert(at, MiddlewareEntry{order, std::move(middleware)});
}

void Router::freeze() noexcept { frozen_ = true; }

const std::vector<MiddlewareEntry>& Router::middleware(sdk::Phase phase) const {
    return middleware_[phaseIndex(phase)];
}

std::size_t Router::phaseIndex(sdk::Phase phase) {
    switch (phase) {
        case sdk::Phase::BeforeAccess:
            return 0;
        case sdk::Phase::AfterAccess:
            return 1;
        case sdk::Phase::Unrouted:
            return 2;
    }
    throw std::logic_error("unknown middleware phase");
}

RouteMatch Router::match(sdk::Method method, std::string_view path) const {
    sdk::RouteMatcher::Result found = matcher_.match(method, path);
    RouteMatch result;
    result.miss = found.miss;
    if (found) {
        result.route = routes_[found.index].get();
        result.params = std::move(found.params);
    }
    return result;
}

bool parseMethod(std::string_view text, sdk::Method& out) noexcept {
    using M = sdk::Method;
    static constexpr std::pair<std::string_view, M> kTable[] = {
        {"GET", M::Get},     {"HEAD", M::Head},     {"POST", M::Post},       {"PUT", M::Put},
        {"PATCH", M::Patch}, {"DELETE", M::Delete}, {"OPTIONS", M::Options},
    };
    for (const auto& [name, m] : kTable) {
        if (name == text) {
            out = m;
            return true;
        }
    }
    return false;
}

}  // namespace cpa::core
