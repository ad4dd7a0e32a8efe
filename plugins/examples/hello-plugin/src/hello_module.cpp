// Example module: one management route and one config key of its own.
//   GET /v0/management/hello  →  {"greeting": <hello.greeting from config.yaml, default "hello">}
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/plugin.hpp>

namespace example {

class HelloModule : public cpa::sdk::Module {
public:
    void configure(cpa::sdk::ModuleContext& context) override {
        context_ = &context;
        // Its own section of config.yaml: `hello:` must be a mapping whose only
        // member is `greeting` (another member is warned about with its line),
        // and a greeting that is not text refuses the file, at load and on every write.
        using T = cpa::sdk::ConfigType;
        context.config().declare({"hello",
                                  {{"hello", T::Mapping}, {"hello.greeting", T::String}},
                                  [](const cpa::sdk::Value& root) {
                                      const cpa::sdk::Value* g = root.findPath("hello.greeting");
                                      if (g && !g->isNull() && !g->isString())
                                          throw std::invalid_argument("hello.greeting must be a string");
                                  }});
    }

    void registerRoutes(cpa::sdk::RouteRegistry& routes) override {
        auto* ctx = context_;
        routes.route(cpa::sdk::Method::Get, std::string(cpa::sdk::kManagementBase) + "/hello",
                     cpa::sdk::Access::Management, [ctx](cpa::sdk::Request&, cpa::sdk::Response& res) {
                         const auto greeting = ctx->config().snapshot()->getString("hello.greeting", "hello");
                         res.json(200, cpa::sdk::Value::object({{"greeting", greeting}}));
                     });
    }

private:
    cpa::sdk::ModuleContext* context_ = nullptr;
};

}  // namespace example

CPA_PLUGIN(example::HelloModule, "hello", "1.0.0")
