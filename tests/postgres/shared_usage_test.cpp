// Usage through the real servers: two instances on one PostgreSQL, proxied
// requests on both, every instance's /usage counts them all.
#include "fake_upstream.hpp"
#include "pg_store_support.hpp"

#include <gtest/gtest.h>

namespace cpa::test::pgstore {
namespace {

using namespace std::chrono_literals;

std::string upstreamConfig(const FakeUpstream& up) {
    return "usage-statistics-enabled: true\n"
           "openai-compatibility:\n"
           "  - name: \"Acme\"\n"
           "    base-url: \"" + up.baseUrl() + "/v1\"\n"
           "    api-key-entries:\n"
           "      - api-key: \"sk-up-1\"\n"
           "    models:\n"
           "      - name: \"up-model\"\n"
           "        alias: \"m\"\n";
}

int chat(std::uint16_t port) {
    return httpRequest(port, "POST", "/v1/chat/completions",
                       {{"Authorization", std::string("Bearer ") + kClientKey}, {"Content-Type", "application/json"}},
                       R"({"model":"m","messages":[{"role":"user","content":"hi"}]})")
        .status;
}

std::string totalRequests(std::uint16_t port) {
    const std::string body = mgmt(port, "GET", "/usage").body;
    const auto at = body.find("\"total_requests\":");
    if (at == std::string::npos) return body;
    return body.substr(at + 17, body.find_first_of(",}", at) - at - 17);
}

TEST(PgSharedUsage, EveryInstancesUsageShowsTheRequestsOfBoth) {
    FakeUpstream up;
    up.setHandler([](const UpstreamRequest&) {
        UpstreamReply r;
        r.body = R"({"id":"c1","object":"chat.completion","model":"up-model","choices":[{"index":0,)"
                 R"("message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],)"
                 R"("usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})";
        return r;
    });
    PgCluster pg;
    const std::string modules = "config, provider-keys, proxy, usage";
    auto a = startInstance(pg, modules, upstreamConfig(up));
    auto b = startInstance(pg, modules);  // the shared configuration has the upstream
    for (int i = 0; i < 3; ++i) EXPECT_EQ(chat(a->port()), 200);
    for (int i = 0; i < 2; ++i) EXPECT_EQ(chat(b->port()), 200);
    EXPECT_TRUE(eventually([&] { return totalRequests(a->port()) == "5" && totalRequests(b->port()) == "5"; }, 5s))
        << totalRequests(a->port()) << " / " << totalRequests(b->port());
    EXPECT_EQ(pg.scalar("SELECT count(*) FROM cpa_usage"), "5");

    // An export imported on the other instance adds nothing: dedup holds across instances.
    const HttpResponse exported = mgmt(a->port(), "GET", "/usage/export");
    ASSERT_EQ(exported.status, 200);
    const HttpResponse imported = mgmt(b->port(), "POST", "/usage/import", exported.body);
    ASSERT_EQ(imported.status, 200) << imported.body;
    EXPECT_NE(imported.body.find("\"added\":0"), std::string::npos) << imported.body;
    EXPECT_NE(imported.body.find("\"skipped\":5"), std::string::npos) << imported.body;

    // A restarted instance has everyone's records from the database.
    b.reset();
    auto c = startInstance(pg, modules);
    EXPECT_EQ(totalRequests(c->port()), "5");
}

}  // namespace
}  // namespace cpa::test::pgstore

namespace cpa::test::pgstore {
namespace {

TEST(PgSharedLogs, EachInstanceNamesItselfOnItsLogRoutes) {
    PgCluster pg;
    ServerProcessOptions o = instanceOptions(bootstrapConfig(pg, "config, logs", "logging-to-file: true\n"));
    o.env["CPA_INSTANCE_ID"] = "node-a";
    ServerProcess a(o);
    o.env["CPA_INSTANCE_ID"] = "node-b";
    ServerProcess b(o);
    EXPECT_EQ(mgmt(a.port(), "GET", "/logs").header("X-CPA-Instance").value_or("(none)"), "node-a");
    EXPECT_EQ(mgmt(b.port(), "GET", "/logs").header("X-CPA-Instance").value_or("(none)"), "node-b");
    EXPECT_EQ(pg.scalar("SELECT updated_by FROM cpa_config"), "node-a");  // the seeding instance
}

}  // namespace
}  // namespace cpa::test::pgstore

namespace cpa::test::pgstore {
namespace {

std::string authFile(const std::string& token) {
    return R"({"type":"codex","email":"a@example.com","access_token":")" + token + R"("})";
}

TEST(PgSharedAuthFiles, AFileSavedOnOneInstanceAppearsOnTheOtherAndDeletionsFollow) {
    PgCluster pg;
    const std::string modules = "config, oauth";
    // auth-dir "auths" (shared config) is relative to each instance's working directory.
    auto a = startInstance(pg, modules, "auth-dir: \"auths\"\n");
    auto b = startInstance(pg, modules);
    const auto upload = [&](ServerProcess& s, const std::string& name, const std::string& body) {
        return mgmt(s.port(), "POST", "/auth-files?name=" + name, body).status;
    };
    ASSERT_EQ(upload(*a, "alpha.json", authFile("t1")), 200);
    const std::filesystem::path onB = b->dir() / "auths" / "alpha.json";
    EXPECT_TRUE(eventually([&] { return readFile(onB) == authFile("t1"); }, 3s)) << readFile(onB);
    EXPECT_TRUE(eventually([&] { return mgmt(b->port(), "GET", "/auth-files").body.find("alpha.json") != std::string::npos; }, 3s));
    // A refreshed token written on B reaches A.
    ASSERT_EQ(upload(*b, "alpha.json", authFile("t2")), 200);
    const std::filesystem::path onA = a->dir() / "auths" / "alpha.json";
    EXPECT_TRUE(eventually([&] { return readFile(onA) == authFile("t2"); }, 3s)) << readFile(onA);
    // Deleted on A: gone on B.
    ASSERT_EQ(mgmt(a->port(), "DELETE", "/auth-files?name=alpha.json").status, 200);
    EXPECT_TRUE(eventually([&] { return !std::filesystem::exists(onB); }, 3s));
    EXPECT_EQ(pg.scalar("SELECT count(*) FROM cpa_credentials WHERE content IS NOT NULL"), "0");
}

}  // namespace
}  // namespace cpa::test::pgstore
