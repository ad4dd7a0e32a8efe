// openai-compatibility (management-api-core.md §5.11.6).
#include "test_support.hpp"

using namespace cpa::provider_keys::test;

namespace {
class OpenAICompat : public ModuleTest {};
}  // namespace

TEST_F(OpenAICompat, PutTrimsKeysKeepsEmptyKeyEntriesDropsMissingBaseUrl) {
    EXPECT_EQ(run(Method::Put, "/openai-compatibility",
                  R"([{"name":" P ","base-url":" u ","prefix":"/x/","disabled":false,"priority":1,
                      "api-key-entries":[{"api-key":" k ","proxy-url":" p "},{"api-key":" "}],
                      "models":[{"name":"m","alias":"a","thinking":{"levels":["low"]}}],"headers":{"H":" v "}},
                     {"name":"gone","base-url":" "},{"name":"P","base-url":"u"}])"),
              kOk);
    EXPECT_EQ(stored("openai-compatibility"),
              R"([{"name":"P","priority":1,"prefix":"x","base-url":"u","api-key-entries":[{"api-key":"k","proxy-url":" p "},)"
              R"({"api-key":""}],"models":[{"name":"m","alias":"a","thinking":{"levels":["low"]}}],"headers":{"H":"v"}},)"
              R"({"name":"P","base-url":"u"}])");
}

TEST_F(OpenAICompat, GetShapeAndAuthIndexPerKeyEntryOrProvider) {
    start(R"({"openai-compatibility":[{"name":"A","base-url":"u","api-key-entries":[{"api-key":"k1"},{"api-key":"k2"}]},
              {"name":"B","base-url":"v"},{"name":"C","base-url":"w","disabled":true}]})");
    const Value body = call(Method::Get, "/openai-compatibility").bodyJson();
    const auto& list = body.find("openai-compatibility")->asArray();
    ASSERT_EQ(list.size(), 3u);
    const auto creds = synthesizeConfigCredentials(ctx->config().snapshot()->root());
    ASSERT_EQ(creds.size(), 3u);
    const auto& keys = list[0].find("api-key-entries")->asArray();
    EXPECT_EQ(keys[0].find("auth-index")->asString(), creds[0].authIndex);
    EXPECT_EQ(keys[1].find("auth-index")->asString(), creds[1].authIndex);
    EXPECT_EQ(list[0].find("auth-index"), nullptr);
    EXPECT_EQ(list[1].find("auth-index")->asString(), creds[2].authIndex);
    EXPECT_EQ(list[2].find("auth-index"), nullptr) << "disabled providers have no live credential";
    EXPECT_EQ(sdk::toJson(list[1]), R"({"name":"B","disabled":false,"base-url":"v","auth-index":")" +
                                        creds[2].authIndex + R"("})");
}

TEST_F(OpenAICompat, PatchByNameIndexAndBaseUrlDeletion) {
    start(R"({"openai-compatibility":[{"name":"A","base-url":"u"},{"name":"B","base-url":"v"}]})");
    EXPECT_EQ(run(Method::Patch, "/openai-compatibility",
                  R"({"name":" B ","value":{"name":" B2 ","disabled":true,"prefix":" p ","priority":5,
                     "api-key-entries":[{"api-key":" k "}],"models":[{"name":"m"}]}})"),
              kOk);
    EXPECT_EQ(stored("openai-compatibility"),
              R"([{"name":"A","base-url":"u"},{"name":"B2","disabled":true,"prefix":"p","base-url":"v",)"
              R"("api-key-entries":[{"api-key":"k"}],"models":[{"name":"m","alias":""}]}])");
    EXPECT_EQ(run(Method::Patch, "/openai-compatibility", R"({"name":"zz","value":{}})"), R"(404 {"error":"item not found"})");
    EXPECT_EQ(run(Method::Patch, "/openai-compatibility", R"({"index":0,"value":{"base-url":" "}})"), kOk);
    EXPECT_EQ(stored("openai-compatibility").find("\"A\""), std::string::npos);
}

TEST_F(OpenAICompat, DeleteByExactNameRemovesAllAndIsOkWithoutMatch) {
    start(R"({"openai-compatibility":[{"name":"A","base-url":"u"},{"name":"A","base-url":"v"},{"name":"B","base-url":"w"}]})");
    EXPECT_EQ(run(Method::Delete, "/openai-compatibility?name=%20A"), kOk);
    EXPECT_EQ(run(Method::Delete, "/openai-compatibility?name=A"), kOk);
    EXPECT_EQ(stored("openai-compatibility"), R"([{"name":"B","base-url":"w"}])");
    EXPECT_EQ(run(Method::Delete, "/openai-compatibility?index=5"), R"(400 {"error":"missing name or index"})");
    EXPECT_EQ(run(Method::Delete, "/openai-compatibility?index=0"), kOk);
    EXPECT_EQ(stored("openai-compatibility"), "[]");
}

TEST_F(OpenAICompat, LegacyApiKeysAreMigratedIntoKeyEntries) {
    start(R"({"openai-compatibility":[{"name":"A","base-url":"u","api-keys":[" k1 ","k2",""],
              "api-key-entries":[{"api-key":"k2"}]}]})");
    const Value body = call(Method::Get, "/openai-compatibility").bodyJson();
    EXPECT_EQ(sdk::toJson(*body.find("openai-compatibility")->asArray()[0].find("api-key-entries")).find("k1") !=
                  std::string::npos,
              true);
    EXPECT_EQ(run(Method::Patch, "/openai-compatibility", R"({"index":0,"value":{"disabled":true}})"), kOk);
    EXPECT_EQ(stored("openai-compatibility"),
              R"([{"name":"A","disabled":true,"base-url":"u","api-key-entries":[{"api-key":"k2"},{"api-key":"k1"}]}])");
}
