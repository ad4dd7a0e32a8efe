// Fixture module for the integration tests: routes that misbehave on demand.
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/plugin.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace cpa::testkit {
namespace {

using sdk::Access;
using sdk::Method;

// ?ms=N, clamped to [0, 60000]; anything unparsable is 0.
long requestedMillis(const sdk::Request& req) {
    const auto raw = req.query("ms");
    if (!raw) return 0;
    try {
        const long ms = std::stol(*raw);
        return ms < 0 ? 0 : (ms > 60000 ? 60000 : ms);
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

class TestkitModule final : public sdk::Module {
public:
    void configure(sdk::ModuleContext&) override {}

    void registerRoutes(sdk::RouteRegistry& routes) override {
        // An unexpected exception: the detail must never reach the client.
        routes.route(Method::Get, "/test/throw", Access::Public,
                     [](sdk::Request&, sdk::Response&) { throw std::runtime_error("secret detail"); });
        routes.route(Method::Get, "/test/http-error", Access::Public,
                     [](sdk::Request&, sdk::Response&) { throw sdk::HttpError(418, "teapot"); });
        routes.route(Method::Get, "/test/slow", Access::Public, [](sdk::Request& req, sdk::Response& res) {
            const long ms = requestedMillis(req);
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            res.json(200, sdk::Value::object({{"slept", sdk::Value(ms)}}));
        });
        routes.route(Method::Get, "/test/echo-ip", Access::Public, [](sdk::Request& req, sdk::Response& res) {
            res.json(200, sdk::Value::object({{"peer", sdk::Value(req.peerAddress())},
                                              {"client", sdk::Value(req.clientIp())}}));
        });
    }
};

}  // namespace cpa::testkit

CPA_PLUGIN(cpa::testkit::TestkitModule, "testkit", "1.0.0")
