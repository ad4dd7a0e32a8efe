// Fixture module whose configure() refuses start-up.
#include <cpa/sdk/plugin.hpp>

#include <stdexcept>

namespace cpa::testkit {

class TestkitBadModule final : public sdk::Module {
public:
    void configure(sdk::ModuleContext&) override { throw std::runtime_error("configure failed: testkit-bad"); }
    void registerRoutes(sdk::RouteRegistry&) override {}
};

}  // namespace cpa::testkit

CPA_PLUGIN(cpa::testkit::TestkitBadModule, "testkit-bad", "1.0.0")
