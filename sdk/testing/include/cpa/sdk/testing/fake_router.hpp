#pragma once
// A RouteRegistry that records what a module registers and runs requests
// through it the way the core does, without a server.
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/route_matcher.hpp>
#include <cpa/sdk/testing/fake_http.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::sdk::testing {

class FakeRouter : public RouteRegistry {
public:
    struct Route {
        Method method;
        std::string pattern;
        Access access;
        Handler handler;
    };
    struct MiddlewareEntry {
        Phase phase;
        int order;
        std::shared_ptr<Middleware> middleware;
    };
    /// Decides whether a request may reach the route's AfterAccess middleware
    /// and handler; on refusal it writes the response and returns false.
    using AccessCheck = std::function<bool(Request& req, Response& res)>;

    /// Patterns and precedence are the server's (sdk::RouteMatcher). Throws
    /// std::logic_error on a malformed pattern, a duplicate method+pattern, or
    /// after freeze().
    void route(Method method, std::string pattern, Access access, Handler handler) override;
    /// Throws std::logic_error on a null middleware or after freeze().
    void use(Phase phase, int order, std::shared_ptr<Middleware> middleware) override;

    /// What the core does after registerRoutes: later registrations throw.
    void freeze() noexcept { frozen_ = true; }
    bool frozen() const noexcept { return frozen_; }

    const std::vector<Route>& routes() const noexcept { return routes_; }
    /// Registered middleware in run order (phase, then order, then registration).
    std::vector<MiddlewareEntry> middleware() const;
    /// The route registered with exactly this method and pattern.
    const Route* find(Method method, std::string_view pattern) const;
    bool has(Method method, std::string_view pattern) const { return find(method, pattern) != nullptr; }
    /// The route that serves method+path as the server would pick it (static
    /// beats `:name` beats `*name`), filling `params` when given; nullptr when none.
    const Route* match(Method method, std::string_view path, std::vector<Header>* params = nullptr) const;

    /// Default: every access class passes.
    void setAccessCheck(AccessCheck check) { accessCheck_ = std::move(check); }

    /// Runs `req` like the core: match (no route → 404 "404 page not found")
    /// → fill params, route pattern and access on `req` → BeforeAccess
    /// middleware → access check → AfterAccess middleware → handler; then
    /// onComplete of every middleware that ran, in the order they ran.
    /// HttpError becomes its status and JSON body; any other exception
    /// becomes 500 {"error":"internal server error"} (its message is kept in
    /// lastError()). Returns false when no route matched.
    bool dispatch(FakeRequest& req, FakeResponse& res);
    FakeResponse dispatch(FakeRequest& req);
    /// Shorthand: builds the request from a target ("/path?query") and body.
    FakeResponse call(Method method, std::string_view target, std::string body = {});

    /// what() of the last exception dispatch() mapped to a response; empty if none.
    const std::string& lastError() const noexcept { return lastError_; }

private:
    struct Registered {
        MiddlewareEntry entry;
        std::size_t seq;
    };
    void runChain(const Route& route, FakeRequest& req, FakeResponse& res, std::vector<Middleware*>& ran);

    RouteMatcher matcher_;      // its indexes are positions in routes_
    std::vector<Route> routes_;
    std::vector<Registered> middleware_;
    AccessCheck accessCheck_;
    std::string lastError_;
    bool frozen_ = false;
};

}  // namespace cpa::sdk::testing
