// /oauth-excluded-models and /oauth-model-alias (management-api-core.md §5.12, §5.13).
#include "test_support.hpp"

#include "oauth_maps.hpp"

using namespace cpa::provider_keys::test;
using cpa::provider_keys::normalizeAliasMap;
using cpa::provider_keys::normalizeExcludedMap;

namespace {
class OAuthMaps : public ModuleTest {};
}  // namespace

TEST(OAuthMapRules, ExcludedMapNormalisation) {
    EXPECT_EQ(sdk::toJson(normalizeExcludedMap(sdk::parseJson(
                  R"({" Codex ":[" A* ","a*"],"codex":["b"],"":["x"],"empty":[" "],"bad":5})"))),
              R"({"codex":["a*","b"]})");
}

TEST(OAuthMapRules, AliasMapNormalisation) {
    EXPECT_EQ(sdk::toJson(normalizeAliasMap(sdk::parseJson(
                  R"({" Claude ":[{"name":" m ","alias":" x ","fork":true},{"name":"m","alias":"X"},{"name":"m","alias":"y"},
                      {"name":"Same","alias":"same"},{"name":"","alias":"z"}],"gemini":[]})"))),
              R"({"claude":[{"name":"m","alias":"x","fork":true},{"name":"m","alias":"y"}]})");
}

TEST_F(OAuthMaps, ExcludedGetPutPatchDelete) {
    EXPECT_EQ(run(Method::Get, "/oauth-excluded-models"), R"(200 {"oauth-excluded-models":null})");
    EXPECT_EQ(run(Method::Put, "/oauth-excluded-models", R"({"items":{"Codex":["M"]}})"), kOk);
    EXPECT_EQ(stored("oauth-excluded-models"), R"({"codex":["m"]})");
    EXPECT_EQ(run(Method::Patch, "/oauth-excluded-models", R"({"provider":" Claude ","models":["x"]})"), kOk);
    EXPECT_EQ(run(Method::Get, "/oauth-excluded-models"), R"(200 {"oauth-excluded-models":{"claude":["x"],"codex":["m"]}})");
    EXPECT_EQ(run(Method::Patch, "/oauth-excluded-models", R"({"provider":"gemini","models":[]})"),
              R"(404 {"error":"provider not found"})");
    EXPECT_EQ(run(Method::Patch, "/oauth-excluded-models", R"({"provider":"claude"})"), kOk);
    EXPECT_EQ(run(Method::Patch, "/oauth-excluded-models", R"({"provider":" ","models":["x"]})"),
              R"(400 {"error":"invalid provider"})");
    EXPECT_EQ(run(Method::Patch, "/oauth-excluded-models", R"({"models":["x"]})"), R"(400 {"error":"invalid body"})");
    EXPECT_EQ(run(Method::Delete, "/oauth-excluded-models"), R"(400 {"error":"missing provider"})");
    EXPECT_EQ(run(Method::Delete, "/oauth-excluded-models?provider=nope"), R"(404 {"error":"provider not found"})");
    EXPECT_EQ(run(Method::Delete, "/oauth-excluded-models?provider=CODEX"), kOk);
    EXPECT_EQ(stored("oauth-excluded-models"), "absent") << "an empty map leaves the file";
}

TEST_F(OAuthMaps, ExcludedPutFallbacks) {
    EXPECT_EQ(run(Method::Put, "/oauth-excluded-models", R"({"codex":["a"]})"), kOk);
    EXPECT_EQ(run(Method::Put, "/oauth-excluded-models", R"({"foo":1})"), kOk) << "an object without items clears";
    EXPECT_EQ(stored("oauth-excluded-models"), "absent");
    for (const char* bad : {"[]", R"({"items":5})", R"({"items":{"c":5}})", "", "{"}) {
        EXPECT_EQ(run(Method::Put, "/oauth-excluded-models", bad), R"(400 {"error":"invalid body"})") << bad;
    }
}

TEST_F(OAuthMaps, AliasPatchDeleteAndEmptyMappingKept) {
    start(R"({"oauth-model-alias":{"claude":[{"name":"m","alias":"x"}]}})");
    EXPECT_EQ(run(Method::Patch, "/oauth-model-alias", R"({"provider":"Codex","aliases":[{"name":"n","alias":"y"}]})"), kOk);
    EXPECT_EQ(run(Method::Patch, "/oauth-model-alias", R"({"channel":"","provider":"codex","aliases":[]})"),
              R"(400 {"error":"invalid channel"})") << "a present empty channel wins";
    EXPECT_EQ(run(Method::Patch, "/oauth-model-alias", R"({"channel":"kimi","aliases":[]})"),
              R"(404 {"error":"channel not found"})");
    EXPECT_EQ(run(Method::Patch, "/oauth-model-alias", R"({"channel":"codex","aliases":[{"name":1}]})"),
              R"(400 {"error":"invalid body"})");
    EXPECT_EQ(stored("oauth-model-alias"),
              R"({"claude":[{"name":"m","alias":"x"}],"codex":[{"name":"n","alias":"y"}]})");
    EXPECT_EQ(run(Method::Delete, "/oauth-model-alias"), R"(400 {"error":"missing channel"})");
    EXPECT_EQ(run(Method::Delete, "/oauth-model-alias?channel=zz"), R"(404 {"error":"channel not found"})");
    EXPECT_EQ(run(Method::Delete, "/oauth-model-alias?provider=CLAUDE"), kOk);
    EXPECT_EQ(run(Method::Patch, "/oauth-model-alias", R"({"channel":"codex"})"), kOk);
    EXPECT_EQ(stored("oauth-model-alias"), "{}") << "kept as an explicit empty mapping";
    EXPECT_EQ(run(Method::Get, "/oauth-model-alias"), R"(200 {"oauth-model-alias":null})");
}
