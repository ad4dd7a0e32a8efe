// The per-credential model lookup (ModelRegistry::modelsOf) and the
// "cpa.ModelListing/1" service the module provides (auth-files.md §4).
#include "registry/model_listing_adapter.hpp"
#include "support/proxy_fixture.hpp"

#include <cpa/sdk/model_listing.hpp>

namespace cpa::proxy::testing {
namespace {

sdk::Value info(const std::string& id, const std::string& display) {
    return sdk::Value::object({{"id", id}, {"display_name", display}, {"type", "t"}, {"owned_by", "o"}});
}

std::vector<std::string> idsOf(const std::vector<sdk::ModelEntry>& v) {
    std::vector<std::string> out;
    for (const auto& m : v) out.push_back(m.id);
    return out;
}

TEST(ModelRegistryModelsOf, RegistrationOrderFirstInfoPerIdAndReplacement) {
    ModelRegistry reg;
    reg.registerCredential("c1", "gemini", "", {info("zeta", "Z1"), info("alpha", "A"), info("zeta", "Z2"),
                                                sdk::Value::object({{"display_name", "no id"}})});
    reg.registerCredential("c2", "gemini", "", {info("other", "O")});
    const auto got = reg.modelsOf("c1");
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].find("id")->asString(), "zeta");
    EXPECT_EQ(got[0].find("display_name")->asString(), "Z1");  // the first registration of an id wins
    EXPECT_EQ(got[1].find("id")->asString(), "alpha");
    EXPECT_TRUE(reg.modelsOf("nope").empty());

    reg.registerCredential("c1", "gemini", "", {info("beta", "B")});
    ASSERT_EQ(reg.modelsOf("c1").size(), 1u);
    EXPECT_EQ(reg.modelsOf("c1")[0].find("id")->asString(), "beta");
    reg.unregisterCredential("c1");
    EXPECT_TRUE(reg.modelsOf("c1").empty());
    EXPECT_EQ(reg.modelsOf("c2").size(), 1u);
}

TEST(ModelListingAdapter, MapsStringFieldsAndLeavesMissingOnesEmpty) {
    ModelRegistry reg;
    reg.registerCredential("c", "p", "", {info("m1", "Model One"), sdk::Value::object({{"id", "m2"}, {"type", 7}})});
    ModelListingAdapter adapter(reg);
    const auto got = adapter.modelsForCredential("c");
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].id, "m1");
    EXPECT_EQ(got[0].displayName, "Model One");
    EXPECT_EQ(got[0].type, "t");
    EXPECT_EQ(got[0].ownedBy, "o");
    EXPECT_EQ(got[1].id, "m2");
    EXPECT_EQ(got[1].displayName, "");
    EXPECT_EQ(got[1].type, "");  // not a string
    EXPECT_EQ(got[1].ownedBy, "");
    EXPECT_TRUE(adapter.modelsForCredential("").empty());
}

class ModelListingService : public ProxyFixture {
protected:
    std::shared_ptr<sdk::ModelListing> listing() {
        return ctx->services().get(sdk::kModelListingService);
    }
};

TEST_F(ModelListingService, ProvidedAtConfigureAndFollowsReloads) {
    start(R"({"gemini-api-key":[{"api-key":"g1","models":[{"name":"zz-upstream","alias":"zz"},{"name":"aa"}]},
                                 {"api-key":"g2","prefix":"team","models":[{"name":"m"}]}],
              "openai-compatibility":[{"name":"Acme","base-url":"http://h","models":[{"name":"x","alias":"y"}]}]})");
    auto svc = listing();
    ASSERT_NE(svc, nullptr);

    const auto g1 = svc->modelsForCredential(idOf("g1"));
    ASSERT_EQ(idsOf(g1), (std::vector<std::string>{"zz", "aa"}));  // config order, not sorted
    EXPECT_EQ(g1[0].displayName, "zz-upstream");
    EXPECT_EQ(g1[0].type, "gemini");
    EXPECT_EQ(g1[0].ownedBy, "google");
    EXPECT_EQ(idsOf(svc->modelsForCredential(idOf("g2"))), (std::vector<std::string>{"m", "team/m"}));

    std::string compatId;
    for (const auto& c : service().pool().activeCredentials())
        if (c->isCompat()) compatId = c->id;
    const auto compat = svc->modelsForCredential(compatId);
    ASSERT_EQ(compat.size(), 1u);
    EXPECT_EQ(compat[0].id, "y");
    EXPECT_EQ(compat[0].ownedBy, "Acme");
    EXPECT_EQ(compat[0].type, "openai-compatibility");
    EXPECT_TRUE(svc->modelsForCredential("gemini:unknown").empty());

    const std::string oldG1 = idOf("g1");
    reloadConfig(R"({"gemini-api-key":[{"api-key":"g1","models":[{"name":"new-one"}]}]})");
    EXPECT_EQ(idsOf(svc->modelsForCredential(oldG1)), (std::vector<std::string>{"new-one"}));
    reloadConfig(R"({"claude-api-key":[{"api-key":"c"}]})");
    EXPECT_TRUE(svc->modelsForCredential(oldG1).empty());  // removed credentials list nothing
}

}  // namespace
}  // namespace cpa::proxy::testing
