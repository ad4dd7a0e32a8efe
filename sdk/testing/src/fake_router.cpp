#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fake_router.hpp>

#include <algorithm>
#include <stdexcept>

namespace cpa::sdk::testing {

void FakeRouter::route(Method method, std::string pattern, Access access, Handler handler) {
    if (frozen_) throw std::logic_error("route registered after start-up: " + pattern);
    if (!handler) throw std::logic_error("route without a handler: " + pattern);
    matcher_.add(method, pattern);  // the server's rules: throws on a malformed or duplicate pattern
    routes_.push_back(Route{method, std::move(pattern), access, std::move(handler)});
}

void FakeRouter::use(Phase phase, int order, std::shared_ptr<Middleware> middleware) {
    if (frozen_) throw std::logic_error("middleware registered after start-up");
    if (!middleware) throw std::logic_error("null middleware");
    middleware_.push_back(Registered{MiddlewareEntry{phase, order, std::move(middleware)}, middleware_.size()});
}

std::vector<FakeRouter::MiddlewareEntry> FakeRouter::middleware() const {
    std::vector<Registered> sorted = middleware_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Registered& a, const Registered& b) {
        if (a.entry.phase != b.entry.phase) return a.entry.phase == Phase::BeforeAccess;
        if (a.entry.order != b.entry.order) return a.entry.order < b.entry.order;
        return a.seq < b.seq;
    });
    std::vector<MiddlewareEntry> out;
    out.reserve(sorted.size());
    for (auto& r : sorted) out.push_back(std::move(r.entry));
    return out;
}

const FakeRouter::Route* FakeRouter::find(Method method, std::string_view pattern) const {
    for (const auto& r : routes_) {
        if (r.method == method && r.pattern == pattern) return &r;
    }
    return nullptr;
}

const FakeRouter::Route* FakeRouter::match(Method method, std::string_view path,
                                           std::vector<Header>* params) const {
    RouteMatcher::Result found = matcher_.match(method, path);
    if (!found) return nullptr;
    if (params) *params = std::move(found.params);
    return &routes_[found.index];
}

void FakeRouter::runChain(const Route& route, FakeRequest& req, FakeResponse& res, std::vector<Middleware*>& ran) {
    const std::vector<MiddlewareEntry> chain = middleware();
    bool accessChecked = false;
    for (const auto& m : chain) {
        if (m.phase == Phase::AfterAccess && !accessChecked) {
            accessChecked = true;
            if (accessCheck_ && !accessCheck_(req, res)) return;
        }
        ran.push_back(m.middleware.get());
        if (m.middleware->onRequest(req, res) == Next::Stop) return;
    }
    if (!accessChecked && accessCheck_ && !accessCheck_(req, res)) return;
    route.handler(req, res);
}

bool FakeRouter::dispatch(FakeRequest& req, FakeResponse& res) {
    lastError_.clear();
    std::vector<Header> params;
    const Route* route = match(req.method(), req.path(), &params);
    if (!route) {
        res.text(404, "404 page not found");
        return false;
    }
    req.clearParams();
    for (auto& [name, value] : params) req.setParam(std::move(name), std::move(value));
    req.setRoutePattern(route->pattern);
    req.setAccess(route->access);

    std::vector<Middleware*> ran;
    // Maps errors the way the core's one error function does. Once streaming
    // started the status cannot change: the error is only recorded.
    auto fail = [&](int status, Value body) {
        if (res.streaming()) return;
        res.json(status, body);
    };
    try {
        runChain(*route, req, res, ran);
    } catch (const HttpError& e) {
        lastError_ = e.what();
        fail(e.status(), e.body());
    } catch (const std::exception& e) {
        lastError_ = e.what();
        fail(500, Value::object({{"error", "internal server error"}}));
    } catch (...) {
        lastError_ = "unknown exception";
        fail(500, Value::object({{"error", "internal server error"}}));
    }
    for (Middleware* m : ran) m->onComplete(req, res);
    return true;
}

FakeResponse FakeRouter::dispatch(FakeRequest& req) {
    FakeResponse res;
    dispatch(req, res);
    return res;
}

FakeResponse FakeRouter::call(Method method, std::string_view target, std::string body) {
    FakeRequest req(method, target, std::move(body));
    return dispatch(req);
}

}  // namespace cpa::sdk::testing
