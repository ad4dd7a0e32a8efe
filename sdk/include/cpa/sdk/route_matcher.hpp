#pragma once
// Route patterns and how a path picks one: the single implementation behind
// the server's router and the testing FakeRouter, so a module's unit tests
// route exactly as the server does.
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/http.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::sdk {

/// Patterns are absolute paths made of
///  - static segments (`/v0/management/config`),
///  - `:name` segments: exactly one non-empty path segment,
///  - `*name`, as the last segment only: the rest of the path (at least one
///    character, several segments allowed, without its leading slash).
/// At each segment a static segment beats `:name`, which beats `*name`
/// (whatever the registration order); matching backtracks, so "/a/b/c" still
/// finds "/a/:x/c" when "/a/b" exists but has no "c", and a path only matches a
/// route registered for the request's method. The root pattern is "/". Names
/// are letters, digits, '_' and '-'; empty segments (a trailing slash, "//")
/// are refused.
class CPA_SDK_API RouteMatcher {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    enum class Miss {
        None,                ///< matched
        PathUnknown,         ///< no route has this path
        MethodNotRegistered  ///< the path exists, but not for this method
    };

    struct Result {
        std::size_t index = npos;  ///< what add() returned for the route that matched
        Miss miss = Miss::PathUnknown;
        std::vector<Header> params;  ///< parameter name → value, in path order
        explicit operator bool() const noexcept { return index != npos; }
    };

    RouteMatcher();
    ~RouteMatcher();
    RouteMatcher(RouteMatcher&&) noexcept;
    RouteMatcher& operator=(RouteMatcher&&) noexcept;
    RouteMatcher(const RouteMatcher&) = delete;
    RouteMatcher& operator=(const RouteMatcher&) = delete;

    /// Adds a route; returns its index (0, 1, … in order of addition). Throws
    /// std::logic_error on a malformed pattern or a duplicate method+pattern
    /// (parameter names do not matter: "/a/:x" equals "/a/:y").
    std::size_t add(Method method, std::string_view pattern);

    /// `path` is the percent-decoded request path without the query. Safe to
    /// call concurrently once no more routes are added.
    Result match(Method method, std::string_view path) const;

    std::size_t size() const noexcept;
    const std::string& pattern(std::size_t index) const;
    /// The `:name` and `*name` names of a route, in path order.
    const std::vector<std::string>& paramNames(std::size_t index) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cpa::sdk
