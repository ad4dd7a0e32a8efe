// Route table and concurrent use of the module.
#include "support/proxy_fixture.hpp"

#include <atomic>
#include <thread>

namespace cpa::proxy::testing {
namespace {

class Module : public ProxyFixture {};

TEST_F(Module, RegistersEveryClientRouteBehindClientKey) {
    start("{}");
    sdk::testing::FakeRouter router;
    module->registerRoutes(router);
    using M = sdk::Method;
    const std::vector<std::pair<M, std::string>> want = {
        {M::Get, "/v1/models"},
        {M::Post, "/v1/chat/completions"},
        {M::Post, "/v1/completions"},
        {M::Post, "/v1/messages"},
        {M::Post, "/v1/messages/count_tokens"},
        {M::Post, "/v1/responses"},
        {M::Post, "/v1/responses/compact"},
        {M::Post, "/backend-api/codex/responses"},
        {M::Post, "/backend-api/codex/responses/compact"},
        {M::Get, "/v1beta/models"},
        {M::Get, "/v1beta/models/*action"},
        {M::Post, "/v1beta/models/*action"},
    };
    EXPECT_EQ(router.routes().size(), want.size());
    for (const auto& [method, pattern] : want) {
        const auto* r = router.find(method, pattern);
        ASSERT_NE(r, nullptr) << pattern;
        EXPECT_EQ(r->access, sdk::Access::ClientKey) << pattern;
    }
}

TEST_F(Module, ConfigPublicationsReachTheModule) {
    start("{}");
    EXPECT_EQ(chat("m").status(), 502);
    ctx->config().update([](sdk::Value& root) {
        root.set("claude-api-key", sdk::parseJson(R"([{"api-key":"c","models":[{"name":"m"}]}])"));
    });
    EXPECT_EQ(post("/v1/messages", R"({"model":"m"})", ClientFormat::Claude).status(), 200);
    module->stop();  // no more reloads after stop
    ctx->config().update([](sdk::Value& root) { root.erase("claude-api-key"); });
    EXPECT_EQ(post("/v1/messages", R"({"model":"m"})", ClientFormat::Claude).status(), 200);
}

TEST_F(Module, ConcurrentRequestsAndReloads) {
    start(R"({"claude-api-key":[{"api-key":"a","models":[{"name":"m"}]},{"api-key":"b","models":[{"name":"m"}]}]})");
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i)
                if (post("/v1/messages", R"({"model":"m"})", ClientFormat::Claude).status() == 200) ++ok;
        });
    }
    threads.emplace_back([&] {
        for (int i = 0; i < 20; ++i)
            reloadConfig(i % 2 ? R"({"claude-api-key":[{"api-key":"a","models":[{"name":"m"}]},{"api-key":"b","models":[{"name":"m"}]}]})"
                               : R"({"claude-api-key":[{"api-key":"a","models":[{"name":"m"}]},{"api-key":"b","priority":1,"models":[{"name":"m"}]}]})");
    });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 200);
    EXPECT_EQ(exec->calls().size(), 200u);
    EXPECT_EQ(published(sdk::kTopicUsageRecord).size(), 200u);
}

}  // namespace
}  // namespace cpa::proxy::testing
