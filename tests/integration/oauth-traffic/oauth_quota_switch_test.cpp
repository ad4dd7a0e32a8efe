// quota-exceeded.switch-project / switch-preview-model act for Gemini CLI
// credentials (issue 21, docs/compatibility.md Q1–Q3): a quota answer on one
// project moves to the same account's other project first; a quota answer for
// a model retries its catalogue preview variant; both off: routing as before.
#include "oauth_gemini_support.hpp"

#include <gtest/gtest.h>

using namespace cpa::test;
using namespace cpa::test::oauth;

namespace {

/// Files: gemini-a.json with projects p1, p2; gemini-b.json with pb. The
/// fake Code Assist answers 429 for `exhausted` and names the project otherwise.
std::unique_ptr<TrafficServer> accounts(const std::string& config, const std::string& exhausted) {
    auto s = std::make_unique<TrafficServer>(
        std::vector<std::pair<std::string, std::string>>{{"gemini-a.json", geminiFile("ya29.a", 3000, "p1,p2")},
                                                         {"gemini-b.json", geminiFile("ya29.b", 3000, "pb")}},
        config);
    s->codeAssist.setHandler([exhausted](const UpstreamRequest& r) {
        const std::string project = sentProject(r);
        return project == exhausted ? resourceExhausted() : codeAssistReply("from " + project);
    });
    return s;
}

}  // namespace

TEST(OAuthQuotaSwitch, SwitchProjectTriesTheSameAccountsOtherProjectFirst) {
    auto s = accounts("quota-exceeded:\n  switch-project: true\n", "p1");
    const auto r = geminiGenerate(*s);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("from p2"), std::string::npos) << r.body;
    ASSERT_EQ(s->codeAssist.requestCount(), 2u);
    EXPECT_EQ(sentProject(s->codeAssist.requests()[0]), "p1");
    EXPECT_EQ(sentProject(s->codeAssist.requests()[1]), "p2");
}

TEST(OAuthQuotaSwitch, WithoutSwitchProjectRoutingMovesToTheNextCredential) {
    auto s = accounts("quota-exceeded:\n  switch-project: false\n", "p1");
    const auto r = geminiGenerate(*s);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("from pb"), std::string::npos) << r.body;
    EXPECT_EQ(s->codeAssist.requestCount(), 2u);
}

TEST(OAuthQuotaSwitch, TheQuotaCooldownFollowsTheRetryDelayOfTheAnswer) {
    auto s = accounts("quota-exceeded:\n  switch-project: true\n", "p1");
    ASSERT_EQ(geminiGenerate(*s).status, 200);
    const auto files = jsonObject(s->mgmt("GET", "/auth-files").body)->getArray("files");
    bool seen = false;
    for (std::size_t i = 0; i < files->size(); ++i) {
        const auto f = files->getObject(i);
        if (f->getValue<std::string>("id") != "gemini-a.json::p1") continue;
        seen = true;
        EXPECT_EQ(f->getValue<std::string>("status"), "error");
        EXPECT_TRUE(f->getValue<bool>("unavailable"));
        EXPECT_TRUE(f->has("next_retry_after"));
    }
    EXPECT_TRUE(seen);
}

TEST(OAuthQuotaSwitch, SwitchPreviewModelRetriesTheCataloguePreviewVariant) {
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.valid", 3000)}},
                    "quota-exceeded:\n  switch-preview-model: true\n");
    s.codeAssist.setHandler([](const UpstreamRequest& r) {
        return sentModel(r) == kGeminiModel ? resourceExhausted() : codeAssistReply("from " + sentModel(r));
    });
    const auto r = geminiGenerate(s);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("from gemini-2.5-pro-preview-05-06"), std::string::npos) << r.body;
    ASSERT_EQ(s.codeAssist.requestCount(), 2u);
    EXPECT_EQ(sentModel(s.codeAssist.requests()[1]), "gemini-2.5-pro-preview-05-06");
}

TEST(OAuthQuotaSwitch, WithBothOffAQuotaAnswerEndsAtTheLastCredential) {
    TrafficServer s({{"gemini-g.json", geminiFile("ya29.valid", 3000)}});
    s.codeAssist.setHandler([](const UpstreamRequest&) { return resourceExhausted(); });
    const auto r = geminiGenerate(s);
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(s.codeAssist.requestCount(), 1u);
}

TEST(OAuthQuotaSwitch, BothOnThePreviewVariantComesBeforeTheOtherProject) {
    TrafficServer s({{"gemini-a.json", geminiFile("ya29.a", 3000, "p1,p2")}},
                    "quota-exceeded:\n  switch-project: true\n  switch-preview-model: true\n");
    s.codeAssist.setHandler([](const UpstreamRequest& r) {
        return sentProject(r) == "p1" ? resourceExhausted() : codeAssistReply("from " + sentProject(r));
    });
    const auto r = geminiGenerate(s);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("from p2"), std::string::npos);
    ASSERT_EQ(s.codeAssist.requestCount(), 4u);  // p1: the model, both previews; then p2
    EXPECT_EQ(sentModel(s.codeAssist.requests()[1]), "gemini-2.5-pro-preview-05-06");
    EXPECT_EQ(sentModel(s.codeAssist.requests()[2]), "gemini-2.5-pro-preview-06-05");
    EXPECT_EQ(sentProject(s.codeAssist.requests()[3]), "p2");
    EXPECT_EQ(sentModel(s.codeAssist.requests()[3]), kGeminiModel);
}
