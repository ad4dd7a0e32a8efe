// Credentials contributed by any module (here a stand-in third-party source)
// are routed by wire format; kinds without an executor are skipped visibly.
#include "support/proxy_fixture.hpp"

namespace cpa::proxy::testing {
namespace {

sdk::ContributedCredential acme(std::string key, std::string model) {
    sdk::ContributedCredential c;
    c.id = "acme:apikey:" + key;
    c.authIndex = "0123456789abcdef";
    c.provider = "acme";
    c.wire = std::string(sdk::wire::kOpenAIChat);
    c.family = "acme-api-key";
    c.label = "acme-apikey";
    c.apiKey = std::move(key);
    c.baseUrl = "https://acme.example/v1";
    c.models = {{"acme-upstream-1", std::move(model)}};
    return c;
}

class ContributedCredentials : public ProxyFixture {
protected:
    void SetUp() override {
        start("{}");
        sources = ctx->services().get(sdk::kCredentialSourcesService);
    }
    std::shared_ptr<sdk::CredentialSources> sources;
};

TEST_F(ContributedCredentials, AThirdPartySourceIsRoutedByItsWireFormat) {
    EXPECT_EQ(chat("acme-large").status(), 502) << "nothing contributed yet";
    sources->publish("acme-plugin", {acme("sk-acme", "acme-large")});
    exec->pushOk(R"({"id":"x"})");
    auto res = chat("acme-large");
    ASSERT_EQ(res.status(), 200) << res.body();
    ASSERT_EQ(exec->calls().size(), 1u);
    EXPECT_EQ(exec->calls()[0].credentialId, "acme:apikey:sk-acme");
    EXPECT_EQ(exec->calls()[0].upstreamModel, "acme-upstream-1") << "the alias resolves to the upstream name";
    EXPECT_EQ(keyOf("acme:apikey:sk-acme"), "sk-acme");
    EXPECT_EQ(exec->calls()[0].conversation, nullptr) << "same format: nothing decoded";
    // An OpenAI-compatible credential serves the Claude endpoint through translation.
    auto claude = post("/v1/messages", R"({"model":"acme-large","max_tokens":5,"messages":[{"role":"user","content":"hi"}]})",
                       ClientFormat::Claude);
    ASSERT_EQ(claude.status(), 200) << claude.body();
    ASSERT_EQ(exec->calls().size(), 2u);
    ASSERT_NE(exec->calls()[1].conversation, nullptr);
    ASSERT_EQ(exec->calls()[1].conversation->messages.size(), 1u);
    EXPECT_EQ(exec->calls()[1].conversation->messages[0].parts[0].text, "hi");
    EXPECT_EQ(exec->calls()[1].conversation->maxTokens, 5);
}

TEST_F(ContributedCredentials, APublicationReplacesTheSourcesWholeSet) {
    sources->publish("acme-plugin", {acme("sk-1", "m1"), acme("sk-2", "m2")});
    EXPECT_EQ(service().pool().activeCredentials().size(), 2u);
    sources->publish("acme-plugin", {acme("sk-2", "m2")});
    EXPECT_EQ(chat("m1").status(), 502) << "the dropped credential no longer routes";
    exec->pushOk();
    EXPECT_EQ(chat("m2").status(), 200);
    sources->publish("acme-plugin", {});
    EXPECT_EQ(chat("m2").status(), 502) << "an empty publication withdraws the source";
}

TEST_F(ContributedCredentials, ConfigKeysAndOtherSourcesRouteSideBySide) {
    reloadConfig(R"({"openai-compatibility":[{"name":"cfg","base-url":"http://c/v1",
                     "api-key-entries":[{"api-key":"k-cfg"}],"models":[{"name":"u","alias":"cfg-model"}]}]})");
    sources->publish("acme-plugin", {acme("sk-acme", "acme-large")});
    exec->pushOk();
    exec->pushOk();
    EXPECT_EQ(chat("cfg-model").status(), 200);
    EXPECT_EQ(chat("acme-large").status(), 200);
    EXPECT_EQ(calledKeys(), (std::vector<std::string>{"k-cfg", "sk-acme"}));
}

TEST_F(ContributedCredentials, AKindWithoutExecutorIsSkippedWithADebugLine) {
    sdk::ContributedCredential file;
    file.id = "alpha.json";
    file.provider = "iflow";
    file.wire = "oauth:iflow";  // a kind no executor serves
    file.family = "auth-file";
    file.apiKey = "never-logged-secret";
    file.models = {{"iflow-model", ""}};
    sources->publish("auth-files", {file});
    EXPECT_TRUE(service().pool().activeCredentials().empty());
    EXPECT_TRUE(ctx->logger().contains("credential alpha.json (auth-file) not routed: no executor for kind 'oauth:iflow'"))
        << ctx->logger().text();
    EXPECT_FALSE(ctx->logger().contains("never-logged-secret"));
    const auto res = chat("iflow-model");
    EXPECT_EQ(res.status(), 502) << "never a silent 200";
    EXPECT_TRUE(exec->calls().empty());
}

}  // namespace
}  // namespace cpa::proxy::testing
