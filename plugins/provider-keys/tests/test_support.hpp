#pragma once
// The module on the SDK fakes: config in memory, routes through FakeRouter.
#include "config_credentials.hpp"
#include "provider_keys_module.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <string>

namespace cpa::provider_keys::test {

namespace sdk = cpa::sdk;
using sdk::Method;
using sdk::Value;
using provider_keys::synthesizeConfigCredentials;

class ModuleTest : public ::testing::Test {
protected:
    /// (Re)starts the module on a fresh in-memory config.
    void start(const std::string& rootJson = "{}") {
        TearDown();
        router.reset();
        module.reset();
        ctx = std::make_unique<sdk::testing::FakeContext>(sdk::parseJson(rootJson));
        module = std::make_unique<ProviderKeysModule>();
        module->configure(*ctx);
        router = std::make_unique<sdk::testing::FakeRouter>();
        module->registerRoutes(*router);
        router->freeze();
    }
    void SetUp() override { start(); }
    void TearDown() override {
        if (module) module->stop();
    }

    sdk::testing::FakeResponse call(Method m, const std::string& path, std::string body = {}) {
        return router->call(m, "/v0/management" + path, std::move(body));
    }
    /// The stored value of a top-level key as JSON ("absent" when missing).
    std::string stored(const std::string& key) {
        const Value* v = ctx->config().snapshot()->root().find(key);
        return v ? sdk::toJson(*v) : "absent";
    }
    /// status + " " + body, for compact expectations.
    std::string run(Method m, const std::string& path, std::string body = {}) {
        auto r = call(m, path, std::move(body));
        return std::to_string(r.status()) + " " + r.body();
    }

    std::unique_ptr<sdk::testing::FakeContext> ctx;
    std::unique_ptr<ProviderKeysModule> module;
    std::unique_ptr<sdk::testing::FakeRouter> router;
};

inline const std::string kOk = R"(200 {"status":"ok"})";

}  // namespace cpa::provider_keys::test
