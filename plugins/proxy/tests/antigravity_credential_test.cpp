// An Antigravity auth file as the data plane routes it: base URLs from
// oauth-upstreams.antigravity (one URL or a list, docs/compatibility.md K10)
// or the file's own base_url, the project and user agent it carries, and the
// `antigravity` catalogue section it offers (oauth-executors.md §1.4, §3.4.1).
#include "registry/credential.hpp"

#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fake_context.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace cpa::proxy {
namespace {

OAuthUpstreams upstreamsOf(const std::string& json) {
    return oauthUpstreamsFrom(sdk::ConfigSnapshot(sdk::parseJson(json), "", 1));
}

CredentialPtr antigravityFile(const std::string& attributes, const OAuthUpstreams& upstreams = {}) {
    sdk::ContributedCredential c;
    c.id = "antigravity-a.json";
    c.provider = "antigravity";
    c.wire = "oauth:antigravity";
    c.family = "auth-file";
    c.attributes = sdk::parseJson(attributes);
    sdk::testing::FakeLogger log;
    return routableCredentials({c}, log, upstreams).at(0);
}

using Urls = std::vector<std::string>;

}  // namespace

TEST(AntigravityCredential, BaseUrlsComeFromTheConfigAsOneUrlOrAList) {
    EXPECT_EQ(upstreamsOf("{}").antigravity,
              (Urls{"https://daily-cloudcode-pa.googleapis.com", "https://cloudcode-pa.googleapis.com"}));
    EXPECT_EQ(upstreamsOf(R"({"oauth-upstreams":{"antigravity":" http://one.test/ "}})").antigravity,
              (Urls{"http://one.test"}));
    EXPECT_EQ(upstreamsOf(R"({"oauth-upstreams":{"antigravity":["http://a.test/","","http://b.test"]}})").antigravity,
              (Urls{"http://a.test", "http://b.test"}));
    EXPECT_EQ(upstreamsOf(R"({"oauth-upstreams":{"antigravity":[]}})").antigravity.size(), 2u) << "empty: the default";
}

TEST(AntigravityCredential, TheFileCarriesProjectUserAgentAndMayReplaceTheBaseUrls) {
    const OAuthUpstreams ups = upstreamsOf(R"({"oauth-upstreams":{"antigravity":["http://a.test","http://b.test"]}})");
    const CredentialPtr plain = antigravityFile(R"({"project_id":"p-1"})", ups);
    EXPECT_TRUE(plain->upstream->oauth);
    EXPECT_EQ(plain->upstream->baseUrls, (Urls{"http://a.test", "http://b.test"}));
    EXPECT_EQ(plain->upstream->project, "p-1");
    const CredentialPtr own =
        antigravityFile(R"({"base_url":"http://own.test//","user_agent":"antigravity/9 darwin/arm64"})", ups);
    EXPECT_EQ(own->upstream->baseUrls, (Urls{"http://own.test"}));
    EXPECT_EQ(own->upstream->userAgent, "antigravity/9 darwin/arm64");
    EXPECT_NE(plain->fingerprint, antigravityFile(R"({"project_id":"p-1"})")->fingerprint)
        << "another URL list re-registers the credential";
}

TEST(AntigravityCredential, ItOffersTheAntigravityCatalogue) {
    std::vector<std::string> ids;
    for (const sdk::Value& m : offeredModels(*antigravityFile("{}"), false, 0)) {
        ids.push_back(m.find("id")->asString());
        EXPECT_EQ(m.find("owned_by")->asString(), "antigravity");
    }
    for (const char* id : {"gemini-3-flash", "claude-sonnet-4-6", "claude-opus-4-6-thinking", "gemini-3.1-flash-image"})
        EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
}

}  // namespace cpa::proxy
