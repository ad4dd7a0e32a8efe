#pragma once
// The route table: a segment trie built at start-up and frozen before the
// first request thread exists, so matching needs no lock.
#include <cpa/sdk/http.hpp>

#include <array>
#include <cstddef>
#include <map>
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
    enum class Miss {
        None,                ///< matched: `route` is set
        PathUnknown,         ///< no route has this path
        MethodNotRegistered  ///< the path exists, but not for this method
    };
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

/// Patterns are absolute paths made of static segments, `:name` segments
/// (one non-empty segment) and, as the last segment only, `*name` (the rest of
/// the path, at least one character, without the leading slash). A static
/// segment beats `:name`, which beats `*name`; matching backtracks, so
/// "/a/b/c" still finds "/a/:x/c" when "/a/b" exists but has no "c".
/// The root pattern is "/". Empty segments (e.g. a trailing slash) are refused.
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
    struct Node;
    static constexpr std::size_t kMethods = 7;

    const Node* find(const Node& node, const std::vector<std::string_view>& segs, std::size_t i,
                     std::size_t methodIndex, const Node** anyTerminal,
                     std::vector<std::string_view>& values) const;

    std::unique_ptr<Node> root_;
    std::vector<std::unique_ptr<Route>> routes_;
    std::array<std::vector<MiddlewareEntry>, 3> middleware_;
    static std::size_t phaseIndex(sdk::Phase phase);
    bool frozen_ = false;
};

/// "GET" → Method::Get etc. (case-sensitive, like HTTP); false for other methods.
bool parseMethod(std::string_view text, sdk::Method& out) noexcept;

}  // namespace cpa::core
