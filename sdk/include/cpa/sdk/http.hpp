#pragma once
// Request/response views the core implements over its HTTP server, the route
// registry and middleware. No Poco types cross this boundary.
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/value.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpa::sdk {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options };

CPA_SDK_API std::string_view methodName(Method m);

/// Who may call a route. The core enforces it before any middleware of phase
/// AfterAccess and before the handler runs.
enum class Access {
    Public,      ///< no authentication
    Management,  ///< management key (the /v0/management rules)
    ClientKey    ///< a client API key from `api-keys`
};

using Header = std::pair<std::string, std::string>;

class CPA_SDK_API Request {
public:
    virtual ~Request();
    virtual Method method() const = 0;
    /// Path without the query string, as received (percent-decoded).
    virtual const std::string& path() const = 0;
    /// Value of a `:name` segment of the matched route, empty when absent.
    virtual std::string param(std::string_view name) const = 0;
    /// First value of a query parameter; nullopt when absent.
    virtual std::optional<std::string> query(std::string_view name) const = 0;
    virtual const std::vector<Header>& queryParams() const = 0;
    /// First value of a header (case-insensitive name); nullopt when absent.
    virtual std::optional<std::string> header(std::string_view name) const = 0;
    virtual const std::vector<Header>& headers() const = 0;
    /// The whole request body (bounded by the server's body-size limit).
    virtual const std::string& body() const = 0;
    /// IP of the TCP peer (IPv4-mapped IPv6 rendered as dotted IPv4).
    virtual const std::string& peerAddress() const = 0;
    /// Client IP after trusted-proxy processing (equals peerAddress() unless
    /// the peer is a trusted proxy).
    virtual const std::string& clientIp() const = 0;
    /// Unique id of this request, also sent as X-Request-Id.
    virtual const std::string& requestId() const = 0;
    /// Access class of the matched route.
    virtual Access access() const = 0;
    /// Pattern of the matched route (e.g. "/v0/management/auth-files/:name").
    virtual const std::string& routePattern() const = 0;
    /// Per-request attributes for middleware to hand data to handlers
    /// (e.g. the authenticated client key under kClientKeyAttribute).
    virtual void setAttribute(std::string key, Value v) = 0;
    virtual const Value* attribute(std::string_view key) const = 0;
};

/// Incremental body writer for streamed responses (SSE, large downloads).
class CPA_SDK_API StreamWriter {
public:
    virtual ~StreamWriter();
    /// Returns false once the client went away; further writes are ignored.
    virtual bool write(std::string_view chunk) = 0;
    virtual bool flush() = 0;
};

class CPA_SDK_API Response {
public:
    virtual ~Response();
    virtual void setStatus(int status) = 0;
    virtual int status() const = 0;
    /// Replaces a header (case-insensitive name).
    virtual void setHeader(std::string_view name, std::string_view value) = 0;
    virtual void addHeader(std::string_view name, std::string_view value) = 0;
    virtual std::optional<std::string> header(std::string_view name) const = 0;
    /// Buffered body; replaces any previous body.
    virtual void setBody(std::string body, std::string_view contentType) = 0;
    virtual const std::string& body() const = 0;
    /// Starts a streamed body: the status and headers can no longer change.
    /// They reach the client together with the first bytes sent, i.e. at the
    /// first flush() (or when the writer's buffer fills), as Go's net/http
    /// does; call flush() right away to send them at once.
    virtual StreamWriter& stream() = 0;
    virtual bool streaming() const = 0;
    /// True once the client is known to have closed its connection, checked
    /// without blocking: a handler waiting on something slow (an upstream)
    /// can give up early. Since SDK 1.2; the default answers false.
    virtual bool clientGone() const;

    // Conveniences (out of line in libcpa_sdk).
    void json(int status, const Value& v);
    void text(int status, std::string body, std::string_view contentType = "text/plain; charset=utf-8");
    void noContent(int status);
};

using Handler = std::function<void(Request&, Response&)>;

enum class Next { Continue, Stop };

/// Middleware runs on requests that matched a route (Phase::Unrouted: on the
/// others). Returning Stop means the middleware wrote the response and the
/// chain ends.
class CPA_SDK_API Middleware {
public:
    virtual ~Middleware();
    virtual Next onRequest(Request& req, Response& res) = 0;
    /// After the response was produced (also for Stop and errors); must not throw.
    virtual void onComplete(const Request& req, const Response& res) noexcept;
};

enum class Phase {
    BeforeAccess,  ///< after routing, before the route's Access check
    AfterAccess,   ///< after the Access check passed, right before the handler
    /// Requests that matched no route (a 404, or an OPTIONS preflight the
    /// core answers): only onComplete is called, with routePattern() empty.
    /// Requests with a method outside sdk::Method are not passed. Since SDK 1.2.
    Unrouted
};

class CPA_SDK_API RouteRegistry {
public:
    virtual ~RouteRegistry();
    /// pattern: absolute path with static segments and `:name` segments,
    /// e.g. "/v0/management/request-error-logs/:name". Throws
    /// std::logic_error on a duplicate method+pattern or after start-up.
    virtual void route(Method method, std::string pattern, Access access, Handler handler) = 0;
    /// Lower `order` runs first within a phase.
    virtual void use(Phase phase, int order, std::shared_ptr<Middleware> middleware) = 0;
    /// Request bodies of Access::Management routes are bounded by
    /// `http-server.max-management-body-kb` (default 1 MiB; larger → 413
    /// {"error":"request body too large"}, refused unread when announced by
    /// Content-Length). A registered route that takes whole documents or files
    /// sets its own bound here (never above `http-server.max-request-body-mb`).
    /// Throws std::logic_error for an unknown route or after start-up. The
    /// default implementation ignores the call. Since SDK 2.0.
    virtual void setBodyLimit(Method method, const std::string& pattern, std::size_t maxBytes);
};

/// The management routes' base path.
inline constexpr std::string_view kManagementBase = "/v0/management";

/// The management key a request presents (management-api-core.md §2.2): `Authorization: Bearer <key>`
/// (or the whole header without a scheme), else `X-Management-Key`; "" when
/// none. Since SDK 2.0.
CPA_SDK_API std::string presentedManagementKey(const Request& req);
/// Request attribute (a string Value): the client API key the core's
/// client-key guard accepted for an Access::ClientKey route.
inline constexpr std::string_view kClientKeyAttribute = "client-key";

}  // namespace cpa::sdk
