#pragma once
// The route table, built at start-up and frozen before the first request
// thread exists, so matching needs no lock. Patterns and matching are the
// SDK's RouteMatcher, the same one FakeRouter uses.
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/route_matcher.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::core {

struct Route {
    sdk::Method method;
    std::string pattern;
    sdk::Access access;
    sdk::Handler handler;
    /// Body bound set by setBodyLimit (0: the server's default for `access`).
    std::size_t maxBodyBytes = 0;
    /// Names of the `:name` (and a trailing `*name`) segments, in path order.
    std::vector<std::string> paramNames;
};

struct RouteMatch {
    using Miss = sdk::RouteMatcher::Miss;
    const Route* route = nullptr;
    /// Values of the route's parameters, by name, in path order.
    std::vector<sdk::Header> params;
    Miss miss = Miss::PathUnknown;

    explicit operator bool() const noexcept { return route != nullptr; }
};

struct MiddlewareEntry {
    int order;
    std::shared_ptr<sdk::Middleware> middleware;
};

/// Patterns and precedence: sdk::RouteMatcher.
class Router : public sdk::RouteRegistry {
public:
    Router();
    ~Router() override;

    /// Throws std::logic_error on a malformed pattern, a duplicate
    /// method+pattern (parameter names do not matter: "/a/:x" equals "/a/:y"),
    /// an empty handler, or after freeze().
    void route(sdk::Method method, std::string pattern, sdk::Access access, sdk::Handler handler) override;
    /// Stable: equal orders keep registration order. Throws after freeze().
    void use(sdk::Phase phase, int order, std::shared_ptr<sdk::Middleware> middleware) override;
    /// Throws std::logic_error for a route not registered with exactly this
    /// method and pattern, or after freeze().
    void setBodyLimit(sdk::Method method, const std::string& pattern, std::size_t maxBytes) override;

    /// After this the router is read-only; route()/use() throw.
    void freeze() noexcept;
    bool frozen() const noexcept { return frozen_; }

    /// `path` is the percent-decoded request path without the query.
    RouteMatch match(sdk::Method method, std::string_view path) const;

    /// Middleware of a phase, sorted by order (stable).
    const std::vector<MiddlewareEntry>& middleware(sdk::Phase phase) const;

    std::size_t routeCount() const noexcept { return routes_.size(); }

private:
    sdk::RouteMatcher matcher_;
    std::vector<std::unique_ptr<Route>> routes_;
    std::array<std::vector<MiddlewareEntry>, 3> middleware_;
    static std::size_t phaseIndex(sdk::Phase phase);
    bool frozen_ = false;
};

/// "GET" → Method::Get etc. (case-sensitive, like HTTP); false for other methods.
bool parseMethod(std::string_view text, sdk::Method& out) noexcept;

}  // namespace cpa::core
