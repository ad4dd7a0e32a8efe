// The audit trail without a server: the config diff, the fingerprint, the file
// with its ids and pagination, and the middleware through FakeRouter.
#include "audit_recorder.hpp"
#include "logs_module.hpp"
#include "test_dir.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/fakes.hpp>

#include <gtest/gtest.h>

using namespace cpa;
using cpa::logs::testing::readText;
using cpa::logs::testing::TestDir;
using sdk::Value;

TEST(AuditDiff, NamesChangedKeysAndListEntriesNeverValues) {
    const Value before = sdk::parseJson(
        R"({"debug":false,"api-keys":["k-old-secret"],"openai-compatibility":[{"name":"acme","api-key":"s1"},{"name":"b"}],"port":1})");
    const Value after = sdk::parseJson(
        R"({"debug":true,"api-keys":["k-old-secret","k-new-secret"],"openai-compatibility":[{"name":"acme","api-key":"s2"},{"name":"b"}],"proxy-url":"x"})");
    const auto changed = logs::changedConfigEntries(before, after);
    EXPECT_EQ(changed, (std::vector<std::string>{"debug", "api-keys[1]", "openai-compatibility[0] (acme)", "proxy-url",
                                                 "port"}));
    for (const auto& c : changed) EXPECT_EQ(c.find("secret"), std::string::npos) << c;
}

TEST(AuditDiff, FingerprintIsShortStableAndNotTheKey) {
    EXPECT_EQ(logs::keyFingerprint(""), "");
    const std::string f = logs::keyFingerprint("mgmt-secret");
    EXPECT_EQ(f.size(), 8u);
    EXPECT_EQ(f, logs::keyFingerprint("mgmt-secret"));
    EXPECT_NE(f, logs::keyFingerprint("mgmt-secret2"));
    // SHA-256("abc") begins ba7816bf.
    EXPECT_EQ(logs::keyFingerprint("abc"), "ba7816bf");
}

TEST(AuditLogFile, IdsContinueAcrossReopenAndPagesFollowAfter) {
    TestDir dir;
    {
        logs::AuditLog log(dir.path);
        EXPECT_EQ(log.latest(10, 0).size(), 0u) << "no file yet";
        for (int i = 0; i < 5; ++i) ASSERT_TRUE(log.append(Value::object({{"n", i}})));
    }
    logs::AuditLog log(dir.path);  // a restart: ids go on from the file
    ASSERT_TRUE(log.append(Value::object({{"n", 5}})));
    EXPECT_EQ(log.lastId(), 6u);
    const Value last2 = log.latest(2, 0);
    ASSERT_EQ(last2.size(), 2u);
    EXPECT_EQ(last2.asArray()[0].find("id")->asInt(), 5);
    EXPECT_EQ(last2.asArray()[1].find("id")->asInt(), 6);
    const Value after4 = log.latest(100, 4);
    ASSERT_EQ(after4.size(), 2u);
    EXPECT_EQ(after4.asArray()[0].find("n")->asInt(), 4);
    EXPECT_EQ(log.latest(100, 6).size(), 0u);
    const std::string text = readText(dir.path / "audit.log");
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 6);
}

TEST(AuditLogFile, RotatesLikeMainLog) {
    TestDir dir;
    logs::AuditLog log(dir.path, 200);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(log.append(Value::object({{"pad", std::string(40, 'x')}})));
    int rotated = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path))
        if (e.path().filename().string().rfind("audit-", 0) == 0) ++rotated;
    EXPECT_GT(rotated, 0);
    EXPECT_EQ(log.latest(100, 0).asArray().back().find("id")->asInt(), 10);
}

TEST(AuditRecorderModule, ManagementWritesAreRecordedWithChangedKeysAndGetPaginates) {
    TestDir dir;
    sdk::testing::FakeContext ctx;
    ctx.mutablePaths().logDir = dir.path.string();
    sdk::testing::FakeRouter router;
    logs::LogsModule module;
    module.configure(ctx);
    router.route(sdk::Method::Put, "/v0/management/debug", sdk::Access::Management,
                 [&](sdk::Request&, sdk::Response& res) {
                     ctx.config().update([](Value& root) { root.set("debug", true); });
                     res.setStatus(200);
                 });
    module.registerRoutes(router);
    module.start();

    sdk::testing::FakeRequest put(sdk::Method::Put, "/v0/management/debug?api-key=top-secret&name=n1");
    put.setHeader("Authorization", "Bearer mgmt-secret-value");
    put.setPeerAddress("10.0.0.9");
    EXPECT_EQ(router.dispatch(put).status(), 200);
    sdk::testing::FakeRequest get(sdk::Method::Get, "/v0/management/audit");
    const auto res = router.dispatch(get);
    ASSERT_EQ(res.status(), 200) << res.body();
    const Value body = sdk::parseJson(res.body());
    ASSERT_EQ(body.find("entries")->size(), 1u) << res.body() << " (the GET itself is not audited)";
    const Value& e = body.find("entries")->asArray()[0];
    EXPECT_EQ(e.find("method")->asString(), "PUT");
    EXPECT_EQ(e.find("path")->asString(), "/v0/management/debug");
    EXPECT_EQ(e.find("status")->asInt(), 200);
    EXPECT_EQ(e.find("peer")->asString(), "10.0.0.9");
    EXPECT_EQ(e.find("key")->asString(), logs::keyFingerprint("mgmt-secret-value"));
    EXPECT_EQ(sdk::toJson(*e.find("changed")), R"(["debug"])");
    EXPECT_EQ(e.find("query")->find("name")->asString(), "n1");
    EXPECT_EQ(res.body().find("secret"), std::string::npos) << res.body();
    EXPECT_EQ(readText(dir.path / "audit.log").find("secret"), std::string::npos);

    sdk::testing::FakeRequest bad(sdk::Method::Get, "/v0/management/audit?limit=0");
    EXPECT_EQ(router.dispatch(bad).status(), 400);
    sdk::testing::FakeRequest after(sdk::Method::Get, "/v0/management/audit?after=1");
    EXPECT_EQ(router.dispatch(after).body(), R"({"entries":[],"latest-id":1})");
    module.stop();
}
