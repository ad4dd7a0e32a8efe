// Expected hashes were computed independently with Python's hashlib from the
// rules in data-plane §4.1 / management-api-core App. B.
#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

using namespace cpa::sdk;

TEST(CredentialIdentity, FileAuthIndexHashesTheFileSeed) {
    EXPECT_EQ(fileAuthIndex("alpha.json"), "dc4974f2e4f6ede0");
    EXPECT_EQ(authIndexFromSeed("file:alpha.json").size(), 16u);
}

TEST(CredentialIdentity, GeneratorSuffixesRepeatsWithinOnePass) {
    CredentialIdGenerator ids;
    EXPECT_EQ(ids.next("claude:apikey", {"dup", ""}).id, "claude:apikey:c872d2b5308a");
    auto second = ids.next("claude:apikey", {" dup ", ""});  // parts are trimmed
    EXPECT_EQ(second.id, "claude:apikey:c872d2b5308a-1");
    EXPECT_EQ(second.token, "c872d2b5308a-1");
    CredentialIdGenerator fresh;
    EXPECT_EQ(fresh.next("claude:apikey", {"dup", ""}).token, "c872d2b5308a");
}

TEST(CredentialIdentity, SynthesisAppliesDropRulesAndSeeds) {
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
