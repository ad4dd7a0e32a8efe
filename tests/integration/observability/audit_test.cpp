// The audit log of management writes through the real server.
#include "observability_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

using namespace cpa::test;
using namespace cpa::test::obs;

namespace {

HeaderList json(HeaderList h) {
    h.push_back({"Content-Type", "application/json"});
    return h;
}

}  // namespace

TEST(Audit, WritesAreRecordedWithoutSecretsAndReadBackInPages) {
    ServerProcess srv(server(loopbackConfig("remote-management:\n  secret-key: \"mgmt-secret\"\n")));
    HttpClient c("127.0.0.1", srv.port());
    const std::string base = "/v0/management";
    ASSERT_EQ(c.request("PUT", base + "/api-keys", json(kMgmt), R"(["sk-audit-one","sk-audit-two"])").status, 200);
    ASSERT_EQ(c.request("PATCH", base + "/api-keys", json(kMgmt), R"({"old":"sk-audit-two","new":"sk-audit-three"})").status,
              200);
    ASSERT_EQ(c.request("DELETE", base + "/api-keys?value=sk-audit-one", kMgmt).status, 200);
    ASSERT_EQ(c.request("PUT", base + "/debug", json({{"Authorization", "Bearer wrong-key-value"}}), R"({"value":true})").status,
              401);
    ASSERT_EQ(c.get(base + "/api-keys", kMgmt).status, 200);  // reads are not audited

    const std::string file = slurp(srv.dir() / "logs" / "audit.log");
    for (const char* secret : {"sk-audit-one", "sk-audit-two", "sk-audit-three", "mgmt-secret", "wrong-key-value"})
        EXPECT_EQ(file.find(secret), std::string::npos) << secret << " in\n" << file;

    const HttpResponse all = c.get(base + "/audit", kMgmt);
    ASSERT_EQ(all.status, 200) << all.body;
    const auto body = jsonObject(all.body);
    const auto entries = body->getArray("entries");
    ASSERT_EQ(entries->size(), 4u) << all.body;
    EXPECT_EQ(body->getValue<int>("latest-id"), 4);
    const auto put = entries->getObject(0);
    EXPECT_EQ(put->getValue<int>("id"), 1);
    EXPECT_EQ(put->getValue<std::string>("method"), "PUT");
    EXPECT_EQ(put->getValue<std::string>("path"), base + "/api-keys");
    EXPECT_EQ(put->getValue<int>("status"), 200);
    EXPECT_EQ(put->getValue<std::string>("peer"), "127.0.0.1");
    EXPECT_EQ(put->getValue<std::string>("key").size(), 8u);
    EXPECT_EQ(put->getArray("changed")->size(), 2u);
    EXPECT_EQ(put->getArray("changed")->getElement<std::string>(0), "api-keys[0]");
    const auto patch = entries->getObject(1);
    EXPECT_EQ(patch->getValue<std::string>("method"), "PATCH");
    EXPECT_EQ(patch->getArray("changed")->getElement<std::string>(0), "api-keys[1]");
    const auto del = entries->getObject(2);
    EXPECT_EQ(del->getValue<std::string>("method"), "DELETE");
    EXPECT_EQ(del->getValue<std::string>("path"), base + "/api-keys") << "the query (a key) is not recorded";
    const auto refused = entries->getObject(3);
    EXPECT_EQ(refused->getValue<int>("status"), 401);
    EXPECT_EQ(refused->getArray("changed")->size(), 0u);
    EXPECT_NE(refused->getValue<std::string>("key"), put->getValue<std::string>("key")) << "another key, another print";

    // Pages: the latest two, then what came after id 3.
    auto page = jsonObject(c.get(base + "/audit?limit=2", kMgmt).body)->getArray("entries");
    ASSERT_EQ(page->size(), 2u);
    EXPECT_EQ(page->getObject(0)->getValue<int>("id"), 3);
    EXPECT_EQ(page->getObject(1)->getValue<int>("id"), 4);
    page = jsonObject(c.get(base + "/audit?after=3", kMgmt).body)->getArray("entries");
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ(page->getObject(0)->getValue<int>("id"), 4);
    EXPECT_EQ(c.get(base + "/audit?limit=abc", kMgmt).status, 400);
    EXPECT_EQ(c.get(base + "/audit").status, 401);
}
