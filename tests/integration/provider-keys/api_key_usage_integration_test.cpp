// GET /api-key-usage fed by usage.record events from a fixture module.
#include "pk_itest.hpp"

#include <Poco/JSON/Array.h>

using namespace cpa::pktest;

namespace {

std::string event(const std::string& authIndex, bool failed, const std::string& authId = "") {
    return R"({"provider":"x","model":"m","auth_index":")" + authIndex + R"(","auth_id":")" + authId +
           R"(","failed":)" + (failed ? "true" : "false") + "}";
}

std::string authIndexOf(PkServer& s, const std::string& path, const std::string& member, std::size_t i = 0) {
    auto arr = jsonObject(s.call("GET", path).body)->getArray(member);
    return arr->getObject(static_cast<unsigned>(i))->getValue<std::string>("auth-index");
}

void publish(PkServer& s, const std::string& json) {
    auto r = s.client->request("POST", "/test/usage/publish", {}, json);
    ASSERT_EQ(r.status, 200) << r.body;
}

}  // namespace

TEST(ApiKeyUsageIntegration, CountsPerCredentialGroupedByProviderAndKey) {
    PkServer s(pkConfig("gemini-api-key:\n  - api-key: \"g\"\n"
                        "codex-api-key:\n  - api-key: \"c\"\n    base-url: \"https://c\"\n"
                        "  - api-key: \"c\"\n    base-url: \"https://c\"\n    proxy-url: \"http://p\"\n"
                        "openai-compatibility:\n  - name: \"Open\"\n    base-url: \"https://o\"\n"));
    EXPECT_EQ(s.client->get(kMgmt + "/api-key-usage").status, 401);
    const std::string g = authIndexOf(s, "/gemini-api-key", "gemini-api-key");
    const std::string c0 = authIndexOf(s, "/codex-api-key", "codex-api-key", 0);
    const std::string c1 = authIndexOf(s, "/codex-api-key", "codex-api-key", 1);
    publish(s, "[" + event(g, false) + "," + event(g, true) + "," + event(c0, false) + "," + event(c1, true) + "," +
                   event("0123456789abcdef", false) + "]");

    auto r = s.call("GET", "/api-key-usage");
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = jsonObject(r.body);
    EXPECT_EQ(body->size(), 2u) << "gemini and codex; the key-less provider is not listed: " << r.body;
    auto gem = body->getObject("gemini")->getObject("|g");
    EXPECT_EQ(gem->getValue<int>("success"), 1);
    EXPECT_EQ(gem->getValue<int>("failed"), 1);
    auto recent = gem->getArray("recent_requests");
    ASSERT_EQ(recent->size(), 20u);
    EXPECT_EQ(recent->getObject(19)->getValue<int>("success"), 1);
    EXPECT_EQ(recent->getObject(19)->getValue<int>("failed"), 1);
    EXPECT_EQ(recent->getObject(0)->getValue<int>("success"), 0);
    EXPECT_EQ(recent->getObject(0)->getValue<std::string>("time").size(), 11u);
    auto codex = body->getObject("codex")->getObject("https://c|c");
    EXPECT_EQ(codex->getValue<int>("success"), 1) << "the two codex credentials share provider and key: summed";
    EXPECT_EQ(codex->getValue<int>("failed"), 1);

    // A write that keeps the gemini credential keeps its counters; removing it forgets them.
    EXPECT_EQ(s.run("PUT", "/claude-api-key", R"([{"api-key":"k"}])"), kOk);
    body = jsonObject(s.call("GET", "/api-key-usage").body);
    EXPECT_EQ(body->getObject("gemini")->getObject("|g")->getValue<int>("success"), 1);
    EXPECT_EQ(body->getObject("claude")->getObject("|k")->getValue<int>("success"), 0);
    EXPECT_EQ(s.run("DELETE", "/gemini-api-key?api-key=g"), kOk);
    body = jsonObject(s.call("GET", "/api-key-usage").body);
    EXPECT_FALSE(body->has("gemini"));
    EXPECT_EQ(s.run("PUT", "/gemini-api-key", R"([{"api-key":"g"}])"), kOk);
    body = jsonObject(s.call("GET", "/api-key-usage").body);
    EXPECT_EQ(body->getObject("gemini")->getObject("|g")->getValue<int>("success"), 0);
}

TEST(ApiKeyUsageIntegration, EmptyWithoutCredentials) {
    PkServer s(pkConfig());
    EXPECT_EQ(s.run("GET", "/api-key-usage"), "200 {}");
}
