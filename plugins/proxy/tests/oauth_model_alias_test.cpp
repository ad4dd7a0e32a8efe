// oauth-model-alias on OAuth file credentials (oauth-executors.md §1.4): the
// models offered, the upstream name and the state key chosen per request.
#include "registry/credential.hpp"
#include "registry/model_registry.hpp"
#include "routing/credential_pool.hpp"
#include "support/routing_fakes.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fake_context.hpp>
#include <cpa/sdk/token_source.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace cpa::proxy::testing {
namespace {

CredentialPtr oauthClaude(const std::string& aliasJson) {
    sdk::ContributedCredential c;
    c.id = "claude-a.json";
    c.provider = "claude";
    c.wire = std::string(sdk::wire::kOAuthClaude);
    c.family = "auth-file";
    c.attributes = sdk::parseJson(R"({"model_alias":)" + aliasJson + "}");
    sdk::testing::FakeLogger log;
    auto creds = routableCredentials({c}, log);
    return creds.at(0);
}

std::vector<std::string> ids(const Credential& c) {
    std::vector<std::string> out;
    for (const sdk::Value& m : offeredModels(c, false, 0)) out.push_back(m.find("id")->asString());
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& id) { return std::find(v.begin(), v.end(), id) != v.end(); }

}  // namespace

TEST(OAuthModelAlias, AnAliasReplacesItsModelUnlessItForks) {
    const CredentialPtr c = oauthClaude(R"([{"name":"claude-sonnet-4-5-20250929","alias":"my-sonnet"},
        {"name":"Claude-Opus-4-6","alias":"big","fork":true},
        {"name":"claude-haiku-4-5-20251001","alias":" "},
        {"name":"claude-sonnet-4-6","alias":"CLAUDE-SONNET-4-6"}])");
    ASSERT_EQ(c->oauthAliases.size(), 2u) << "blank and identity entries are dropped";
    const auto offered = ids(*c);
    EXPECT_TRUE(has(offered, "my-sonnet"));
    EXPECT_FALSE(has(offered, "claude-sonnet-4-5-20250929"));
    EXPECT_TRUE(has(offered, "big"));
    EXPECT_TRUE(has(offered, "claude-opus-4-6"));
    EXPECT_TRUE(has(offered, "claude-haiku-4-5-20251001"));
    EXPECT_TRUE(has(offered, "claude-sonnet-4-6"));
    EXPECT_EQ(c->oauthUpstreamFor("My-Sonnet"), "claude-sonnet-4-5-20250929");
    EXPECT_EQ(c->oauthUpstreamFor("my-sonnet(high)"), "claude-sonnet-4-5-20250929");
    EXPECT_EQ(c->oauthUpstreamFor("claude-sonnet-4-5-20250929"), "");
}

TEST(OAuthModelAlias, TheUpstreamGetsTheNameWithTheSuffixAndStatesUseIt) {
    const CredentialPtr c = oauthClaude(R"([{"name":"claude-sonnet-4-5-20250929","alias":"my-sonnet"}])");
    ModelRegistry registry;
    FakeClock clock;
    CredentialPool pool(registry, clock);
    pool.apply({c}, false, false);
    const auto choices = pool.upstreamModels(*c, "my-sonnet(8192)");
    ASSERT_EQ(choices.size(), 1u);
    EXPECT_EQ(choices[0].model, "claude-sonnet-4-5-20250929(8192)");
    EXPECT_EQ(choices[0].stateKey, "claude-sonnet-4-5-20250929") << "oauth-executors.md §1.4: the upstream name";
    const auto picked = pool.pick({"claude"}, "my-sonnet", {}, Strategy::RoundRobin);
    ASSERT_TRUE(picked.credential);
    EXPECT_FALSE(pool.pick({"claude"}, "claude-sonnet-4-5-20250929", {}, Strategy::RoundRobin).credential)
        << "the aliased name itself is not offered";
}

}  // namespace cpa::proxy::testing
