// How auth files become contributions to cpa.CredentialSources/1
// (credential_contribution.hpp): the fields read from a file and from config
// (oauth-executors.md §1.2), the executor attributes (oauth-executors.md §1.3),
// the Codex plan and the model aliases (oauth-executors.md §1.4), and the
// one-credential-per-project split of a
// multi-project Gemini CLI file.
#include "credential_contribution.hpp"
#include "credential_record.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/in_memory_config_store.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace cpa;
using namespace cpa::oauth;
using sdk::parseJson;
using sdk::Value;

namespace {

StoredPtr file(const std::string& name, const std::string& json) {
    const FileInfo info{name, 100, 1777600000LL * 1000000000LL};
    StoredPtr p = buildCredential("/auth", info, parseJson(json), nullptr, false);
    EXPECT_TRUE(p) << json;
    return p;
}

sdk::CredentialSet contribute(const std::vector<StoredPtr>& files, const char* config = nullptr) {
    if (!config) return fileContributions(files);
    sdk::testing::InMemoryConfigStore store(parseJson(config));
    const sdk::SnapshotPtr snap = store.snapshot();
    return fileContributions(files, snap.get());
}

/// The one credential of `set` (a copy: `set` is usually a temporary).
sdk::ContributedCredential only(const sdk::CredentialSet& set) {
    EXPECT_EQ(set.size(), 1u);
    return set.empty() ? sdk::ContributedCredential{} : set.front();
}

std::string attr(const sdk::ContributedCredential& c, const char* key) {
    const Value* v = c.attributes.isObject() ? c.attributes.find(key) : nullptr;
    return v && v->isString() ? v->asString() : "<absent>";
}

}  // namespace

TEST(OauthContribution, EnabledFilesInOrderWithTheirIdentityAndExecutorKind) {
    const auto set = contribute({file("b.json", R"({"type":"Claude","email":"b@x"})"),
                                 file("off.json", R"({"type":"claude","disabled":true})"),
                                 file("a.json", R"({"type":"gemini","label":"Team A"})"),
                                 file("str.json", R"({"type":"kimi","disabled":"true"})")});
    ASSERT_EQ(set.size(), 3u);  // only a JSON true disables
    EXPECT_EQ(set[0].id, "b.json");
    EXPECT_EQ(set[0].authIndex, sdk::fileAuthIndex("b.json"));
    EXPECT_EQ(set[0].provider, "claude");
    EXPECT_EQ(set[0].wire, "oauth:claude");
    EXPECT_EQ(set[0].family, "auth-file");
    EXPECT_EQ(set[0].label, "b@x");
    EXPECT_EQ(set[1].id, "a.json");
    EXPECT_EQ(set[1].provider, "gemini-cli");  // `gemini` is read as gemini-cli
    EXPECT_EQ(set[1].wire, "oauth:gemini-cli");
    EXPECT_EQ(set[1].label, "Team A");
    EXPECT_EQ(set[2].wire, "oauth:kimi");
    EXPECT_TRUE(set[2].apiKey.empty());  // tokens stay in the store
    EXPECT_EQ(oauthExecutorKind("codex"), "oauth:codex");
}

TEST(OauthContribution, ProxyPrefixAndPriorityFromTheFile) {
    const auto set = contribute({file("a.json", R"({"type":"claude","proxy_url":"socks5://u:p@h:1080",
                                                     "prefix":" /team/ ","priority":7})"),
                                 file("b.json", R"({"type":"claude","prefix":"a/b","priority":"9"})"),
                                 file("c.json", R"({"type":"claude","priority":2.5})")});
    ASSERT_EQ(set.size(), 3u);
    EXPECT_EQ(set[0].proxyUrl, "socks5://u:p@h:1080");  // used as written
    EXPECT_EQ(set[0].prefix, "team");                   // trimmed, outer '/' removed
    EXPECT_EQ(set[0].priority, 7);
    EXPECT_EQ(set[1].prefix, "");   // a '/' inside drops it
    EXPECT_EQ(set[1].priority, 0);  // a JSON integer only
    EXPECT_EQ(set[2].priority, 0);
    EXPECT_EQ(set[2].proxyUrl, "");
}

TEST(OauthContribution, ExcludedModelsAreTheFilesMergedWithConfigLowerCasedSortedAndUnique) {
    const char* config = R"({"oauth-excluded-models":{" claude ":["Opus-*"," haiku "],"codex":["gpt-5"]}})";
    const auto c = only(contribute(
        {file("a.json", R"({"type":"claude","excluded_models":["Sonnet"," OPUS-* ","",3],"excluded-models":["x"]})")},
        config));
    EXPECT_EQ(c.excludedModels, (std::vector<std::string>{"haiku", "opus-*", "sonnet"}));

    // `excluded-models` when `excluded_models` is absent; no config list for this provider.
    const auto k = only(contribute({file("k.json", R"({"type":"kimi","excluded-models":["K2*"]})")}, config));
    EXPECT_EQ(k.excludedModels, (std::vector<std::string>{"k2*"}));

    const auto none = only(contribute({file("n.json", R"({"type":"kimi"})")}));
    EXPECT_TRUE(none.excludedModels.empty());
}

TEST(OauthContribution, ExecutorAttributesPerProvider) {
    const auto set = contribute({
        file("g.json", R"({"type":"gemini-cli","project_id":" proj-1 ","device_id":"d"})"),
        file("ag.json", R"({"type":"antigravity","project_id":"p2","base_url":"https://ag.example",
                            "user_agent":"ua/1"})"),
        file("k.json", R"({"type":"kimi","device_id":"dev-9","project_id":"no"})"),
        file("c.json", R"({"type":"claude","project_id":"ignored"})"),
    });
    ASSERT_EQ(set.size(), 4u);
    EXPECT_EQ(attr(set[0], "project_id"), "proj-1");  // trimmed
    EXPECT_EQ(attr(set[0], "device_id"), "<absent>");
    EXPECT_EQ(attr(set[1], "project_id"), "p2");
    EXPECT_EQ(attr(set[1], "base_url"), "https://ag.example");
    EXPECT_EQ(attr(set[1], "user_agent"), "ua/1");
    EXPECT_EQ(attr(set[2], "device_id"), "dev-9");
    EXPECT_EQ(attr(set[2], "project_id"), "<absent>");
    ASSERT_TRUE(set[3].attributes.isObject());
    EXPECT_TRUE(set[3].attributes.asObject().empty());
}

TEST(OauthContribution, CodexCarriesOnlyThePlanTypeOfItsIdToken) {
    // Payload: {"https://api.openai.com/auth":{"chatgpt_plan_type":"team","chatgpt_account_id":"acct-1"}}
    const std::string idToken =
        "eyJhbGciOiJub25lIn0."
        "eyJodHRwczovL2FwaS5vcGVuYWkuY29tL2F1dGgiOnsiY2hhdGdwdF9wbGFuX3R5cGUiOiJ0ZWFtIiwiY2hhdGdwdF9hY2NvdW50X2lkIjoi"
        "YWNjdC0xIn19.sig";
    const auto set = contribute({file("c.json", R"({"type":"codex","id_token":")" + idToken + R"("})"),
                                 file("n.json", R"({"type":"codex","id_token":"not-a-jwt"})")});
    ASSERT_EQ(set.size(), 2u);
    ASSERT_TRUE(set[0].attributes.isObject());
    EXPECT_EQ(sdk::toJson(set[0].attributes), R"({"plan_type":"team"})");
    EXPECT_FALSE(set[1].attributes.isObject());  // no claims: no attributes at all
}

TEST(OauthContribution, ModelAliasesOfTheFilesChannelWithoutBlankOrIdentityEntries) {
    const char* config = R"({"oauth-model-alias":{
        " Claude ":[{"name":" claude-opus-4 ","alias":"opus","fork":true},
                    {"name":"claude-haiku","alias":"CLAUDE-HAIKU"},
                    {"name":"","alias":"x"},{"name":"y","alias":" "},
                    {"name":"claude-sonnet","alias":"sonnet","fork":"yes"},"junk"],
        "codex":[{"name":"gpt-5","alias":"five"}]}})";
    const auto c = only(contribute({file("a.json", R"({"type":"claude"})")}, config));
    ASSERT_TRUE(c.attributes.isObject());
    const Value* aliases = c.attributes.find("model_alias");
    ASSERT_TRUE(aliases);
    EXPECT_EQ(sdk::toJson(*aliases), R"([{"name":"claude-opus-4","alias":"opus","fork":true},)"
                                     R"({"name":"claude-sonnet","alias":"sonnet","fork":false}])");

    // Another channel's entries only: no attribute.
    const auto k = only(contribute({file("k.json", R"({"type":"kimi"})")}, config));
    EXPECT_FALSE(k.attributes.isObject() && k.attributes.find("model_alias"));
}

TEST(OauthContribution, AMultiProjectGeminiFileIsOneCredentialPerProject) {
    const char* config = R"({"oauth-model-alias":{"gemini-cli":[{"name":"gemini-2.5-pro","alias":"pro"}]}})";
    const auto set = contribute(
        {file("g.json", R"({"type":"gemini-cli","email":"me@x","project_id":"alpha, team/b ,alpha,,c d","prefix":"g",
                            "priority":3})")},
        config);
    ASSERT_EQ(set.size(), 3u);  // the primary itself serves nothing; repeats and blanks dropped
    const std::vector<std::string> projects = {"alpha", "team/b", "c d"};
    const std::vector<std::string> ids = {"g.json::alpha", "g.json::team_b", "g.json::c_d"};
    for (std::size_t i = 0; i < set.size(); ++i) {
        const auto& c = set[i];
        EXPECT_EQ(c.id, ids[i]);
        EXPECT_EQ(c.authIndex, sdk::fileAuthIndex("g.json#" + projects[i]));
        EXPECT_EQ(c.label, "me@x [" + projects[i] + "]");
        EXPECT_EQ(c.wire, "oauth:gemini-cli");
        EXPECT_EQ(c.prefix, "g");
        EXPECT_EQ(c.priority, 3);
        EXPECT_EQ(attr(c, "project_id"), projects[i]);
        EXPECT_EQ(attr(c, "token_id"), "g.json");  // the file that holds the shared token
        const Value* count = c.attributes.find("account_projects");
        ASSERT_TRUE(count && count->isInt());
        EXPECT_EQ(count->asInt(), 3);
        const Value* aliases = c.attributes.find("model_alias");
        ASSERT_TRUE(aliases);
        EXPECT_EQ(sdk::toJson(*aliases), R"([{"name":"gemini-2.5-pro","alias":"pro","fork":false}])");
    }
    // The auth indexes differ from each other and from the file's own.
    EXPECT_NE(set[0].authIndex, set[1].authIndex);
    EXPECT_NE(set[0].authIndex, sdk::fileAuthIndex("g.json"));
}
