// gemini, claude, codex and vertex: the normalisation, PATCH and DELETE rules
// of management-api-core.md §5.11.1–§5.11.5, one test per rule.
#include "test_support.hpp"

using namespace cpa::provider_keys::test;

namespace {
class Families : public ModuleTest {};
}  // namespace

// ---- gemini ----

TEST_F(Families, GeminiPutTrimsDropsBlankKeysAndDedupsKeyAndBase) {
    EXPECT_EQ(run(Method::Put, "/gemini-api-key",
                  R"([{"api-key":" g1 ","prefix":" /team/ ","base-url":" u ","proxy-url":" p ","priority":2,
                      "headers":{" X-A ":" 1 ","X-B":" "},"excluded-models":[" M* ","m*"],"models":[{"name":" n ","alias":""}],
                      "unknown":1},
                     {"api-key":"   "},{"api-key":"g1","base-url":"u"},{"api-key":"g1","base-url":"other"}])"),
              kOk);
    EXPECT_EQ(stored("gemini-api-key"),
              R"([{"api-key":"g1","priority":2,"prefix":"team","base-url":"u","proxy-url":"p",)"
              R"("models":[{"name":" n ","alias":""}],"headers":{"X-A":"1"},"excluded-models":["m*"]},)"
              R"({"api-key":"g1","base-url":"other"}])");
}

TEST_F(Families, GeminiPrefixWithInnerSlashIsDiscarded) {
    EXPECT_EQ(run(Method::Put, "/gemini-api-key", R"([{"api-key":"k","prefix":"a/b"}])"), kOk);
    EXPECT_EQ(stored("gemini-api-key"), R"([{"api-key":"k"}])");
}

TEST_F(Families, GeminiGetShapeOmitsEmptyMembers) {
    start(R"({"gemini-api-key":[{"api-key":"k","base-url":"","models":[]}]})");
    auto r = call(Method::Get, "/gemini-api-key");
    ASSERT_EQ(r.status(), 200);
    const Value body = r.bodyJson();
    const Value& e = body.find("gemini-api-key")->asArray().at(0);
    EXPECT_EQ(e.find("api-key")->asString(), "k");
    EXPECT_EQ(e.find("base-url"), nullptr);
    EXPECT_EQ(e.find("models"), nullptr);
    EXPECT_EQ(e.find("auth-index")->asString().size(), 16u);
}

TEST_F(Families, GeminiPatchEmptyKeyDeletesAndEmptyMatchMatchesNothing) {
    start(R"({"gemini-api-key":[{"api-key":"a"},{"api-key":"b"}]})");
    EXPECT_EQ(run(Method::Patch, "/gemini-api-key", R"({"match":"","value":{"prefix":"x"}})"),
              R"(404 {"error":"item not found"})");
    EXPECT_EQ(run(Method::Patch, "/gemini-api-key", R"({"match":" b ","value":{"api-key":"  "}})"), kOk);
    EXPECT_EQ(stored("gemini-api-key"), R"([{"api-key":"a"}])");
}

TEST_F(Families, GeminiPatchedDuplicateDisappears) {
    start(R"({"gemini-api-key":[{"api-key":"a"},{"api-key":"b"}]})");
    EXPECT_EQ(run(Method::Patch, "/gemini-api-key", R"({"index":1,"value":{"api-key":" a ","headers":{"H":"v"}}})"), kOk);
    EXPECT_EQ(stored("gemini-api-key"), R"([{"api-key":"a"}])");
}

TEST_F(Families, GeminiPatchIgnoresNonPatchableMembersButChecksTypes) {
    start(R"({"gemini-api-key":[{"api-key":"a","priority":1}]})");
    EXPECT_EQ(run(Method::Patch, "/gemini-api-key", R"({"index":0,"value":{"priority":9,"models":[]}})"), kOk);
    EXPECT_EQ(stored("gemini-api-key"), R"([{"api-key":"a","priority":1}])");
    EXPECT_EQ(run(Method::Patch, "/gemini-api-key", R"({"index":7,"value":{"headers":"x"}})"),
              R"(400 {"error":"invalid body"})") << "400 before 404";
}

TEST_F(Families, GeminiDeleteRules) {
    start(R"({"gemini-api-key":[{"api-key":"k","base-url":"1"},{"api-key":"k","base-url":"2"},{"api-key":"j"}]})");
    EXPECT_EQ(run(Method::Delete, "/gemini-api-key?api-key=k"),
              R"(400 {"error":"multiple items match api-key; base-url is required"})");
    EXPECT_EQ(run(Method::Delete, "/gemini-api-key?api-key=none"), R"(404 {"error":"item not found"})");
    EXPECT_EQ(run(Method::Delete, "/gemini-api-key?api-key=j&base-url="), kOk) << "an empty base-url matches";
    EXPECT_EQ(run(Method::Delete, "/gemini-api-key?api-key=k&base-url=3"), R"(404 {"error":"item not found"})");
    EXPECT_EQ(run(Method::Delete, "/gemini-api-key?api-key=k&base-url=%201%20"), kOk);
    EXPECT_EQ(run(Method::Delete, "/gemini-api-key?index=0"), kOk);
    EXPECT_EQ(stored("gemini-api-key"), "[]");
    EXPECT_EQ(run(Method::Delete, "/gemini-api-key?index=0"), R"(400 {"error":"missing api-key or index"})");
}

// ---- claude ----

TEST_F(Families, ClaudePutKeepsEmptyKeysNoDedupCleansModels) {
    EXPECT_EQ(run(Method::Put, "/claude-api-key",
                  R"({"items":[{"api-key":" c ","models":[{"name":" n ","alias":" "},{"name":"","alias":""}],
                     "cloak":{"mode":"auto"},"experimental-cch-signing":true,"priority":3},
                    {"api-key":""},{"api-key":"c"}]})"),
              kOk);
    EXPECT_EQ(stored("claude-api-key"),
              R"([{"api-key":"c","priority":3,"models":[{"name":"n","alias":""}],"cloak":{"mode":"auto"},)"
              R"("experimental-cch-signing":true},{},{"api-key":"c"}])");
    auto r = call(Method::Get, "/claude-api-key");
    EXPECT_EQ(sdk::toJson(r.bodyJson().find("claude-api-key")->asArray().at(1)),
              R"({"api-key":"","base-url":"","proxy-url":"","models":null})")
        << "always-present members; no auth-index without a key";
}

TEST_F(Families, ClaudePatchEmptyMatchFindsKeylessEntryAndStoresEmptyKey) {
    start(R"({"claude-api-key":[{"api-key":"a"},{"base-url":"u"}]})");
    EXPECT_EQ(run(Method::Patch, "/claude-api-key", R"({"match":"","value":{"proxy-url":" p "}})"), kOk);
    EXPECT_EQ(run(Method::Patch, "/claude-api-key", R"({"match":"a","value":{"api-key":" ","models":[{"name":"m"}]}})"),
              kOk);
    EXPECT_EQ(stored("claude-api-key"), R"([{"models":[{"name":"m","alias":""}]},{"base-url":"u","proxy-url":"p"}])");
}

TEST_F(Families, ClaudeDeleteAnswers200WhenNothingMatched) {
    start(R"({"claude-api-key":[{"api-key":"a"}]})");
    EXPECT_EQ(run(Method::Delete, "/claude-api-key?api-key=zz"), kOk);
    EXPECT_EQ(run(Method::Delete, "/claude-api-key?api-key=zz&base-url=x"), kOk);
    EXPECT_EQ(stored("claude-api-key"), R"([{"api-key":"a"}])");
    EXPECT_EQ(run(Method::Delete, "/claude-api-key?api-key=a"), kOk);
    EXPECT_EQ(stored("claude-api-key"), "[]");
}

// ---- codex ----

TEST_F(Families, CodexDropsEntriesWithoutBaseUrl) {
    EXPECT_EQ(run(Method::Put, "/codex-api-key",
                  R"([{"api-key":"a","base-url":"  "},{"api-key":"","base-url":" u ","websockets":true,"prefix":" p/ "}])"),
              kOk);
    EXPECT_EQ(stored("codex-api-key"), R"([{"prefix":"p","base-url":"u","websockets":true}])") << "member order follows the schema";
}

TEST_F(Families, CodexPatchEmptyBaseUrlDeletesEmptyKeyIsStored) {
    start(R"({"codex-api-key":[{"api-key":"a","base-url":"u"},{"api-key":"b","base-url":"v"}]})");
    EXPECT_EQ(run(Method::Patch, "/codex-api-key", R"({"match":"a","value":{"api-key":""}})"), kOk);
    EXPECT_EQ(run(Method::Patch, "/codex-api-key", R"({"match":"b","value":{"base-url":" "}})"), kOk);
    EXPECT_EQ(stored("codex-api-key"), R"([{"base-url":"u"}])");
}

// ---- vertex ----

TEST_F(Families, VertexPutRequiresKeysWithIndexedError) {
    start(R"({"vertex-api-key":[{"api-key":"keep"}]})");
    EXPECT_EQ(run(Method::Put, "/vertex-api-key", R"([{"api-key":"a"},{"api-key":" "}])"),
              R"(400 {"error":"vertex-api-key[1].api-key is required"})");
    EXPECT_EQ(stored("vertex-api-key"), R"([{"api-key":"keep"}])");
    EXPECT_EQ(run(Method::Put, "/vertex-api-key", R"([{"api-key":" "},{"api-key":1}])"),
              R"(400 {"error":"invalid body"})") << "type errors win over the indexed error";
}

TEST_F(Families, VertexModelsNeedNameAndAliasAndDedup) {
    EXPECT_EQ(run(Method::Put, "/vertex-api-key",
                  R"([{"api-key":"a","models":[{"name":"n","alias":""},{"name":" n ","alias":" a "}]},{"api-key":"a"}])"),
              kOk);
    EXPECT_EQ(stored("vertex-api-key"), R"([{"api-key":"a","models":[{"name":"n","alias":"a"}]}])");
}

TEST_F(Families, VertexPatchEmptyKeyOrBaseDeletes) {
    start(R"({"vertex-api-key":[{"api-key":"a","base-url":"u"},{"api-key":"b"}]})");
    EXPECT_EQ(run(Method::Patch, "/vertex-api-key", R"({"match":"a","value":{"base-url":""}})"), kOk);
    EXPECT_EQ(run(Method::Patch, "/vertex-api-key", R"({"match":"","value":{"api-key":"x"}})"),
              R"(404 {"error":"item not found"})");
    EXPECT_EQ(run(Method::Patch, "/vertex-api-key", R"({"index":0,"value":{"api-key":" "}})"), kOk);
    EXPECT_EQ(stored("vertex-api-key"), "[]");
}

TEST_F(Families, AuthIndexOnlyForLiveCredentials) {
    start(R"({"codex-api-key":[{"api-key":"a","base-url":"u"}],"vertex-api-key":[{"api-key":"v","proxy-url":"p"}]})");
    const Value codex = call(Method::Get, "/codex-api-key").bodyJson();
    const Value vertex = call(Method::Get, "/vertex-api-key").bodyJson();
    const auto creds = synthesizeConfigCredentials(ctx->config().snapshot()->root());
    ASSERT_EQ(creds.size(), 2u);
    // synthesize orders vertex before codex.
    EXPECT_EQ(vertex.find("vertex-api-key")->asArray()[0].find("auth-index")->asString(), creds[0].authIndex);
    EXPECT_EQ(codex.find("codex-api-key")->asArray()[0].find("auth-index")->asString(), creds[1].authIndex);
}
