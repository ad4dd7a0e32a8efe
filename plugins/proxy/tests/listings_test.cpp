// Model registry and listing endpoints (data-plane §5).
#include "registry/catalog.hpp"
#include "support/proxy_fixture.hpp"

namespace cpa::proxy::testing {
namespace {

using namespace std::chrono;

std::vector<std::string> ids(const sdk::Value& list, std::string_view field = "id") {
    std::vector<std::string> out;
    for (const auto& m : list.asArray()) out.push_back(m.find(field)->asString());
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

class Listings : public ProxyFixture {};

TEST_F(Listings, CatalogueForFamiliesWithoutModels) {
    start(R"({"claude-api-key":[{"api-key":"c"}],"codex-api-key":[{"api-key":"x","base-url":"http://h"}]})");
    auto res = get("/v1/models");
    ASSERT_EQ(res.status(), 200);
    const auto body = res.bodyJson();
    EXPECT_EQ(body.find("object")->asString(), "list");
    const auto got = ids(*body.find("data"));
    for (const auto& m : catalogSection("claude")) EXPECT_TRUE(has(got, m.find("id")->asString()));
    for (const auto& m : catalogSection("codex-pro")) EXPECT_TRUE(has(got, m.find("id")->asString()));
    EXPECT_TRUE(has(got, "gpt-image-2"));
    EXPECT_GT(catalogSection("gemini").size(), 0u);
    EXPECT_GT(catalogSection("vertex").size(), 0u);
    for (const auto& item : body.find("data")->asArray()) {
        EXPECT_EQ(item.asObject().size(), 4u) << sdk::toJson(item);  // id, object, created, owned_by
    }
}

TEST_F(Listings, ConfigModelsUseAliasesAndSkipRepeats) {
    start(R"({"gemini-api-key":[{"api-key":"g","models":[{"name":"gemini-2.5-pro","alias":"fast"},{"name":"other","alias":"FAST"},{"name":"plain"}]}],
              "openai-compatibility":[{"name":"Acme","base-url":"http://h","models":[{"name":"x","alias":"y"},{"name":"z"}]}]})");
    const auto got = ids(*get("/v1/models").bodyJson().find("data"));
    EXPECT_EQ(got, (std::vector<std::string>{"fast", "plain", "y", "z"}));
    const auto data = get("/v1/models").bodyJson().find("data")->asArray();
    for (const auto& item : data) {
        if (item.find("id")->asString() == "y") {
            EXPECT_EQ(item.find("owned_by")->asString(), "Acme");
        }
    }
}

TEST_F(Listings, ExcludedModelWildcards) {
    start(R"({"gemini-api-key":[{"api-key":"g","excluded-models":["GEMINI-2.5-*","*image*"," gemini-3-pro-preview "]}]})");
    EXPECT_EQ(ids(*get("/v1/models").bodyJson().find("data")),
              (std::vector<std::string>{"gemini-3-flash-preview", "gemini-3.1-flash-lite-preview", "gemini-3.1-pro-preview"}));
    // Excluded models are not routable either.
    EXPECT_EQ(post("/v1beta/models/gemini-2.5-pro:generateContent", "{}", ClientFormat::Gemini).status(), 502);
}

TEST_F(Listings, PrefixExpansion) {
    start(R"({"claude-api-key":[{"api-key":"c","prefix":"teamA","models":[{"name":"m1"}]}]})");
    EXPECT_EQ(ids(*get("/v1/models").bodyJson().find("data")), (std::vector<std::string>{"m1", "teamA/m1"}));
    reloadConfig(R"({"force-model-prefix":true,"claude-api-key":[{"api-key":"c","prefix":"teamA","models":[{"name":"m1"}]}]})");
    EXPECT_EQ(ids(*get("/v1/models").bodyJson().find("data")), (std::vector<std::string>{"teamA/m1"}));
    // A prefix still holding '/' after trimming is discarded.
    reloadConfig(R"({"claude-api-key":[{"api-key":"c","prefix":"a/b","models":[{"name":"m1"}]}]})");
    EXPECT_EQ(ids(*get("/v1/models").bodyJson().find("data")), (std::vector<std::string>{"m1"}));
}

TEST_F(Listings, ClaudeCliShape) {
    start(R"({"claude-api-key":[{"api-key":"c","models":[{"name":"real","alias":"a1"},{"name":"b1"}]}]})");
    auto body = get("/v1/models", "claude-cli/1.0").bodyJson();
    EXPECT_FALSE(body.find("has_more")->asBool());
    EXPECT_EQ(body.find("first_id")->asString(), "a1");
    EXPECT_EQ(body.find("last_id")->asString(), "b1");
    const auto& first = body.find("data")->asArray().at(0);
    EXPECT_EQ(first.find("type")->asString(), "model");
    EXPECT_EQ(first.find("display_name")->asString(), "real");
    EXPECT_EQ(first.find("created_at")->asInt(), clock->now().time_since_epoch() / seconds(1));
    reloadConfig("{}");
    body = get("/v1/models", "claude-cli/1.0").bodyJson();
    EXPECT_EQ(sdk::toJson(body), R"({"data":[],"has_more":false,"first_id":"","last_id":""})");
    EXPECT_EQ(get("/v1/models").body(), R"({"object":"list","data":[]})");
}

TEST_F(Listings, GeminiShapes) {
    start(R"({"gemini-api-key":[{"api-key":"g","models":[{"name":"gemini-2.5-pro","alias":"mine"}]}],
              "vertex-api-key":[{"api-key":"v"}]})");
    const auto body = get("/v1beta/models").bodyJson();
    bool sawMine = false;
    for (const auto& m : body.find("models")->asArray()) {
        EXPECT_EQ(m.find("name")->asString().rfind("models/", 0), 0u);
        EXPECT_TRUE(m.find("supportedGenerationMethods"));
        if (m.find("name")->asString() == "models/mine") {
            sawMine = true;
            EXPECT_EQ(m.find("displayName")->asString(), "gemini-2.5-pro");
            EXPECT_EQ(m.find("description")->asString(), "mine");
            EXPECT_EQ(sdk::toJson(*m.find("supportedGenerationMethods")), R"(["generateContent"])");
        }
    }
    EXPECT_TRUE(sawMine);
    auto one = get("/v1beta/models/mine");
    EXPECT_EQ(one.status(), 200);
    EXPECT_EQ(one.bodyJson().find("name")->asString(), "models/mine");
    EXPECT_FALSE(one.bodyJson().find("supportedGenerationMethods"));  // no defaults for the single model
    EXPECT_EQ(get("/v1beta/models/gemini-2.5-pro").status(), 200);     // catalogue name models/gemini-2.5-pro
    auto missing = get("/v1beta/models/none");
    EXPECT_EQ(missing.status(), 404);
    EXPECT_EQ(missing.body(), R"({"error":{"message":"Not Found","type":"not_found"}})");
}

TEST_F(Listings, NonQuotaSuspensionHidesQuotaAloneDoesNot) {
    start(R"({"claude-api-key":[{"api-key":"a","models":[{"name":"c"}]},{"api-key":"b","models":[{"name":"c"}]}],
              "disable-cooling":false})");
    auto listed = [&] { return has(ids(*get("/v1/models").bodyJson().find("data")), "c"); };
    exec->pushError(429, "slow");
    exec->pushError(429, "slow");
    post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_TRUE(listed());  // quota trouble alone never hides
    clock->advance(minutes(10));
    exec->pushError(401, "bad");
    exec->pushError(401, "bad");
    post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_FALSE(listed());  // both suspended for a non-quota reason
    clock->advance(minutes(31));
    EXPECT_EQ(post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude).status(), 200);
    EXPECT_TRUE(listed());  // a success clears that credential's marks
}

TEST_F(Listings, OneFreeCredentialKeepsTheModelListed) {
    start(R"({"claude-api-key":[{"api-key":"a","models":[{"name":"c"}]},{"api-key":"b","models":[{"name":"c"}]}]})");
    exec->pushError(404, "gone");
    post("/v1/messages", R"({"model":"c"})", ClientFormat::Claude);
    EXPECT_TRUE(has(ids(*get("/v1/models").bodyJson().find("data")), "c"));
}

}  // namespace
}  // namespace cpa::proxy::testing
