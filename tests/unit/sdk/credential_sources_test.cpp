// cpa.CredentialSources/1: what a third-party module contributes, how a
// publication replaces its set, and what readers and listeners see.
#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace cpa::sdk;

namespace {

ContributedCredential cred(std::string id, std::string key = "k") {
    ContributedCredential c;
    c.id = std::move(id);
    c.apiKey = std::move(key);
    c.wire = std::string(wire::kOpenAIChat);
    return c;
}

std::vector<std::string> ids(const CredentialSetPtr& set) {
    std::vector<std::string> out;
    for (const auto& c : *set) out.push_back(c.id);
    return out;
}

/// A third-party module as a plugin author writes it: contribute at
/// configure and on every config publication.
class AcmeKeys : public Module {
public:
    void configure(ModuleContext& ctx) override {
        auto sources = ctx.services().get(kCredentialSourcesService);
        const auto contribute = [sources](const Value& root) {
            CredentialSet set;
            if (const Value* list = root.find("acme-api-key"); list && list->isArray()) {
                for (const Value& e : list->asArray()) {
                    ContributedCredential c = cred("acme:" + e.find("api-key")->asString(), e.find("api-key")->asString());
                    readCommonEntryFields(c, e);
                    set.push_back(std::move(c));
                }
            }
            sources->publish("acme", std::move(set));
        };
        contribute(ctx.config().snapshot()->root());
        sub_ = ctx.config().subscribe([contribute](const SnapshotPtr& s) { contribute(s->root()); });
    }
    void registerRoutes(RouteRegistry&) override {}
    void stop() noexcept override { sub_.reset(); }

private:
    Subscription sub_;
};

}  // namespace

TEST(CredentialSources, AThirdPartyModuleContributesAndFollowsReloads) {
    cpa::sdk::testing::FakeContext ctx(parseJson(R"({"acme-api-key":[{"api-key":"a1","prefix":"/team/","priority":2,
        "models":[{"name":"up","alias":"m"},"plain"],"headers":{"X-Org":" o1 "},"excluded-models":[" Big-* "]}]})"));
    const auto sources = ctx.services().get(kCredentialSourcesService);
    ASSERT_NE(sources, nullptr) << "provided before any module configures";
    AcmeKeys module;
    module.configure(ctx);
    const CredentialSetPtr first = sources->snapshot();
    ASSERT_EQ(first->size(), 1u);
    const ContributedCredential& c = first->front();
    EXPECT_EQ(c.apiKey, "a1");
    EXPECT_EQ(c.prefix, "team");
    EXPECT_EQ(c.priority, 2);
    EXPECT_EQ(c.models, (std::vector<ModelAlias>{{"up", "m"}, {"plain", ""}}));
    EXPECT_EQ(c.headers, (std::vector<std::pair<std::string, std::string>>{{"X-Org", "o1"}}));
    EXPECT_EQ(c.excludedModels, std::vector<std::string>{"big-*"});

    ctx.config().reload(parseJson(R"({"acme-api-key":[{"api-key":"a2"},{"api-key":"a3"}]})"));
    EXPECT_EQ(ids(sources->snapshot()), (std::vector<std::string>{"acme:a2", "acme:a3"}));
    EXPECT_EQ(first->front().apiKey, "a1") << "a snapshot never changes once read";
    module.stop();
}

TEST(CredentialSources, PublicationsReplaceOneSourceAndKeepFirstPublicationOrder) {
    const auto sources = makeCredentialSources();
    EXPECT_TRUE(sources->snapshot()->empty());
    sources->publish("b", {cred("b1"), cred("b2")});
    sources->publish("a", {cred("a1")});
    EXPECT_EQ(ids(sources->snapshot()), (std::vector<std::string>{"b1", "b2", "a1"}));
    sources->publish("b", {cred("b3")});
    EXPECT_EQ(ids(sources->snapshot()), (std::vector<std::string>{"b3", "a1"}));
    sources->publish("b", {});
    EXPECT_EQ(ids(sources->snapshot()), std::vector<std::string>{"a1"});
}

TEST(CredentialSources, IdlessAndDuplicateIdsAreDroppedFirstContributionWins) {
    const auto sources = makeCredentialSources();
    sources->publish("a", {cred("x", "from-a"), cred("")});
    sources->publish("b", {cred("x", "from-b"), cred("y")});
    const auto set = sources->snapshot();
    EXPECT_EQ(ids(set), (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(set->front().apiKey, "from-a");
}

TEST(CredentialSources, ListenersRunPerPublicationUntilReleased) {
    const auto sources = makeCredentialSources();
    std::vector<std::size_t> seen;
    Subscription sub = sources->subscribe([&] { seen.push_back(sources->snapshot()->size()); });
    sources->publish("a", {cred("1"), cred("2")});
    sources->publish("a", {cred("1")});
    sub.reset();
    sources->publish("a", {});
    EXPECT_EQ(seen, (std::vector<std::size_t>{2, 1}));
}

TEST(CredentialSources, AListenerMayReleaseItselfOrAnother) {
    const auto sources = makeCredentialSources();
    int firstCalls = 0, secondCalls = 0;
    Subscription second;
    Subscription first = sources->subscribe([&] {
        ++firstCalls;
        second.reset();  // released before its turn in this publication: not called
    });
    second = sources->subscribe([&] { ++secondCalls; });
    sources->publish("a", {cred("1")});
    EXPECT_EQ(firstCalls, 1);
    EXPECT_EQ(secondCalls, 0);
    first.reset();
}
