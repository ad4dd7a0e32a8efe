// The five key families as credentials (data-plane §4) and as contributions
// to cpa.CredentialSources/1. Expected hashes were computed independently
// with Python's hashlib from the rules in data-plane §4.1 / App. B.
#include "config_credentials.hpp"
#include "provider_keys_module.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

namespace cpa::provider_keys {
namespace {

using sdk::parseJson;
using sdk::Value;

TEST(ConfigCredentials, EveryDroppedEntryIsNamedWithItsReason) {
    const Value root = parseJson(R"({
      "gemini-api-key": [{"api-key": "k1"}, {"api-key": " "}, {"api-key": "k1"}],
      "claude-api-key": ["sk-bare-string", {"api-key": "ok"}],
      "codex-api-key": [{"api-key": "c1"}],
      "openai-compatibility": [
        {"name": "off", "disabled": true, "base-url": ""},
        {"name": "nobase"},
        {"name": "fine", "base-url": "http://127.0.0.1:9"}
      ]})");
    const std::vector<std::string> expected{
        "gemini-api-key[1] dropped: api-key is empty or missing",
        "gemini-api-key[2] dropped: same api-key and base-url as entry 0",
        "claude-api-key[0] dropped: not a mapping (expected api-key:, base-url:, ...)",
        "codex-api-key[0] dropped: base-url is required for this provider",
        "openai-compatibility[1] dropped: base-url is empty or missing",
    };
    EXPECT_EQ(droppedConfigEntries(root), expected);
    // Exactly the entries synthesis leaves out: 2 gemini + 1 claude kept... and the compat one.
    EXPECT_EQ(synthesizeConfigCredentials(root).size(), 3u);
}

TEST(ConfigCredentials, SynthesisAppliesDropRulesAndSeeds) {
    const Value root = parseJson(R"({
      "gemini-api-key": [{"api-key": "k1"}, {"api-key": " "}, {"api-key": "k1"}],
      "codex-api-key": [{"api-key": "c1"}],
      "openai-compatibility": [
        {"name": "OpenRouter", "base-url": "https://openrouter.ai/api/v1",
         "api-key-entries": [{"api-key": "sk-or"}]},
        {"name": "off", "disabled": true, "base-url": "http://x"},
        {"name": "nobase"},
        {"name": "keyless", "base-url": "http://127.0.0.1:9"}
      ]})");
    const auto creds = synthesizeConfigCredentials(root);
    ASSERT_EQ(creds.size(), 3u);  // blank + duplicate gemini, base-less codex, disabled/base-less compat dropped
    EXPECT_EQ(creds[0].family, "gemini-api-key");
    EXPECT_EQ(creds[0].id, "gemini:apikey:a0ff00d2ace0");
    EXPECT_EQ(creds[0].source, "config:gemini[a0ff00d2ace0]");
    EXPECT_EQ(creds[0].authIndex, "8c837164e402445c");
    EXPECT_EQ(creds[1].providerKey, "openrouter");
    EXPECT_EQ(creds[1].id, "openai-compatibility:openrouter:fe3d45657826");
    EXPECT_EQ(creds[1].authIndex, "cc5a0eac94c89646");
    ASSERT_TRUE(creds[1].keyEntryIndex.has_value());
    EXPECT_EQ(creds[2].providerKey, "keyless");
    EXPECT_FALSE(creds[2].keyEntryIndex.has_value());
    EXPECT_EQ(creds[2].entryIndex, 3u);
}

TEST(ConfigCredentials, ContributionsCarryWireLabelAndEntryRules) {
    const Value root = parseJson(R"({
      "vertex-api-key": [{"api-key": "v1", "prefix": "/team/", "priority": "3",
                          "models": [{"name": "gemini-2.5-pro", "alias": "vp"}, {"name": "no-alias"}],
                          "excluded-models": [" Gemini-* ", "gemini-*"], "headers": {"X-A": " 1 ", "X-B": ""}}],
      "claude-api-key": [{"api-key": "c1", "proxy-url": "socks5://p:1"}],
      "openai-compatibility": [{"name": "OpenRouter", "base-url": "https://o/v1", "excluded-models": ["x"],
                                "models": [{"name": "m", "alias": "a"}],
                                "api-key-entries": [{"api-key": "sk-or", "proxy-url": "http://kp:2"}]}]})");
    const sdk::CredentialSet set = contributedCredentials(root);
    ASSERT_EQ(set.size(), 3u);
    const auto& vertex = set[0];
    EXPECT_EQ(vertex.wire, sdk::wire::kVertex);
    EXPECT_EQ(vertex.label, "vertex-apikey");
    EXPECT_EQ(vertex.provider, "vertex");
    EXPECT_EQ(vertex.prefix, "team");
    EXPECT_EQ(vertex.priority, 3);
    EXPECT_EQ(vertex.models, (std::vector<sdk::ModelAlias>{{"gemini-2.5-pro", "vp"}})) << "vertex models need both";
    EXPECT_EQ(vertex.excludedModels, std::vector<std::string>{"gemini-*"});
    EXPECT_EQ(vertex.headers, (std::vector<std::pair<std::string, std::string>>{{"X-A", "1"}}));
    EXPECT_EQ(set[1].wire, sdk::wire::kClaudeMessages);
    EXPECT_EQ(set[1].proxyUrl, "socks5://p:1");
    const auto& compat = set[2];
    EXPECT_EQ(compat.wire, sdk::wire::kOpenAIChat);
    EXPECT_EQ(compat.label, "OpenRouter") << "the name as configured";
    EXPECT_EQ(compat.provider, "openrouter");
    EXPECT_EQ(compat.proxyUrl, "http://kp:2") << "the key entry's own proxy";
    EXPECT_TRUE(compat.excludedModels.empty()) << "openai-compatibility has no exclusions";
    EXPECT_EQ(compat.apiKey, "sk-or");
    EXPECT_EQ(compat.authIndex, synthesizeConfigCredentials(root)[2].authIndex);
}

TEST(ConfigCredentials, TheModulePublishesOnConfigureAndOnEveryReload) {
    sdk::testing::FakeContext ctx(parseJson(R"({"gemini-api-key":[{"api-key":"g1"}]})"));
    const auto sources = ctx.services().get(sdk::kCredentialSourcesService);
    ProviderKeysModule module;
    module.configure(ctx);
    ASSERT_EQ(sources->snapshot()->size(), 1u);
    EXPECT_EQ(sources->snapshot()->front().apiKey, "g1");
    ctx.config().reload(parseJson(R"({"claude-api-key":[{"api-key":"c1"},{"api-key":"c2"}]})"));
    ASSERT_EQ(sources->snapshot()->size(), 2u);
    EXPECT_EQ((*sources->snapshot())[1].apiKey, "c2");
    ctx.config().reload(parseJson("{}"));
    EXPECT_TRUE(sources->snapshot()->empty()) << "removed entries are withdrawn";
    module.stop();
}

}  // namespace
}  // namespace cpa::provider_keys
