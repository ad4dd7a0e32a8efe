// The configuration document in PostgreSQL, shared by several instances:
// seeding, visibility within 1 s, no lost update, faults.
#include "pg_store_support.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <csignal>
#include <vector>

namespace cpa::test::pgstore {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> apiKeysIn(const std::string& yaml) {
    std::vector<std::string> out;
    const YAML::Node keys = YAML::Load(yaml)["api-keys"];
    for (const auto& k : keys) out.push_back(k.as<std::string>());
    return out;
}

TEST(PgConfigStore, FirstInstanceSeedsTheDatabaseWithoutItsConnectionString) {
    PgCluster pg;
    auto a = startInstance(pg);
    EXPECT_EQ(pg.scalar("SELECT version FROM cpa_config"), "1");
    EXPECT_EQ(pg.scalar("SELECT max(version) FROM cpa_schema_migrations"), "3");
    const std::string stored = pg.scalar("SELECT text FROM cpa_config");
    EXPECT_EQ(stored.find("store:"), std::string::npos) << stored;
    EXPECT_EQ(stored.find(kMgmtKey), std::string::npos) << "the secret is stored hashed";
    const HttpResponse r = mgmt(a->port(), "GET", "/config.yaml");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body.find("not-a-real-secret"), std::string::npos);
    EXPECT_EQ((a->stdoutText() + a->stderrText()).find("not-a-real-secret"), std::string::npos) << "the DSN's password is never logged";
}

TEST(PgConfigStore, AWriteOnOneInstanceIsSeenByTheOtherWithinOneSecond) {
    PgCluster pg;
    auto a = startInstance(pg);
    auto b = startInstance(pg, "config, provider-keys", "request-retry: 1\n");  // the database's wins
    ASSERT_EQ(mgmt(b->port(), "GET", "/request-retry").body, R"({"request-retry":0})");
    for (int value : {7, 8, 9}) {
        ASSERT_EQ(mgmt(a->port(), "PUT", "/request-retry", R"({"value":)" + std::to_string(value) + "}").status, 200);
        const auto start = std::chrono::steady_clock::now();
        const std::string want = R"({"request-retry":)" + std::to_string(value) + "}";
        EXPECT_TRUE(eventually([&] { return mgmt(b->port(), "GET", "/request-retry").body == want; }, 3s));
        EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "write " << value;
    }
    EXPECT_NE(b->stdoutText().find("config reloaded from PostgreSQL 127.0.0.1:"), std::string::npos);
}

TEST(PgConfigStore, ConcurrentWritersOnTwoInstancesLoseNoUpdate) {
    PgCluster pg;
    auto a = startInstance(pg);
    auto b = startInstance(pg);
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    for (int i = 0; i < 64; ++i) {
        const std::uint16_t port = (i % 2 == 0 ? a : b)->port();
        writers.emplace_back([port, i, &failures] {
            const std::string key = "k-" + std::to_string(i);
            // Upsert: appends when absent, a read-modify-write of the list.
            const auto r = mgmt(port, "PATCH", "/api-keys", R"({"old":")" + key + R"(","new":")" + key + R"("})");
            if (r.status != 200) ++failures;
        });
    }
    for (auto& t : writers) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(apiKeysIn(pg.scalar("SELECT text FROM cpa_config")).size(), 65u);  // kClientKey + 64
    EXPECT_EQ(pg.scalar("SELECT version FROM cpa_config"), "65");
    for (auto* s : {a.get(), b.get()}) {
        EXPECT_TRUE(eventually([&] { return mgmt(s->port(), "GET", "/api-keys").body.find("\"k-63\"") != std::string::npos &&
                                            mgmt(s->port(), "GET", "/api-keys").body.find("\"k-0\"") != std::string::npos; },
                               3s));
    }
}

TEST(PgConfigStore, KillNineMidWriteLeavesNoPartialState) {
    PgCluster pg;
    auto a = startInstance(pg);
    auto b = startInstance(pg);
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int t = 0; t < 8; ++t) {
        writers.emplace_back([&, t] {
            for (int i = 0; !stop; ++i) {
                try {
                    const std::string key = "w" + std::to_string(t) + "-" + std::to_string(i);
                    mgmt(a->port(), "PATCH", "/api-keys", R"({"old":")" + key + R"(","new":")" + key + R"("})");
                } catch (const std::exception&) {
                }
            }
        });
    }
    std::this_thread::sleep_for(700ms);
    a->signal(SIGKILL);
    stop = true;
    for (auto& w : writers) w.join();
    // Every committed write added exactly one key and one version: nothing half-written.
    const std::string text = pg.scalar("SELECT text FROM cpa_config");
    const std::size_t version = std::stoul(pg.scalar("SELECT version FROM cpa_config"));
    EXPECT_GT(version, 1u);
    EXPECT_EQ(apiKeysIn(text).size(), version) << "seed (version 1) holds one key";
    // The killed instance's row lock went with its session: B writes at once.
    EXPECT_EQ(mgmt(b->port(), "PUT", "/request-retry", R"({"value":5})").status, 200);
    EXPECT_TRUE(eventually([&] { return mgmt(b->port(), "GET", "/api-keys").body.find("w0-0") != std::string::npos; }, 3s));
}

TEST(PgConfigStore, PostgresDownAtStartIsReportedAndRetriedUntilItIsBack) {
    PgCluster pg;
    pg.stop();
    // The server starts on a thread: the cluster must be started from this
    // one, which outlives it (its processes die with the thread that forked them).
    std::unique_ptr<ServerProcess> a;
    std::exception_ptr failed;
    std::thread starter([&] {
        try {
            a = startInstance(pg);
        } catch (...) {
            failed = std::current_exception();
        }
    });
    std::this_thread::sleep_for(2500ms);
    pg.start();
    starter.join();
    if (failed) std::rethrow_exception(failed);
    const std::string err = a->stdoutText() + a->stderrText();
    EXPECT_NE(err.find("config store: cannot reach PostgreSQL 127.0.0.1:" + std::to_string(pg.port()) + "/cpa"),
              std::string::npos) << err;
    EXPECT_NE(err.find("retrying in"), std::string::npos);
    EXPECT_EQ(err.find("not-a-real-secret"), std::string::npos);
    EXPECT_EQ(mgmt(a->port(), "PUT", "/request-retry", R"({"value":3})").status, 200);
}

TEST(PgConfigStore, PostgresDownWhileRunningKeepsServingRefusesWritesAndCatchesUp) {
    PgCluster pg;
    auto a = startInstance(pg, "config, provider-keys, proxy");
    auto b = startInstance(pg, "config, provider-keys, proxy");
    ASSERT_EQ(mgmt(a->port(), "PUT", "/request-retry", R"({"value":2})").status, 200);
    ASSERT_TRUE(eventually([&] { return mgmt(b->port(), "GET", "/request-retry").body == R"({"request-retry":2})"; }, 3s));
    pg.stop();
    for (auto* s : {a.get(), b.get()}) {
        // Reads and client traffic run on the last snapshot.
        EXPECT_EQ(mgmt(s->port(), "GET", "/request-retry").status, 200);
        EXPECT_EQ(httpRequest(s->port(), "GET", "/v1/models", {{"Authorization", std::string("Bearer ") + kClientKey}}).status,
                  200);
        const HttpResponse w = mgmt(s->port(), "PUT", "/request-retry", R"({"value":4})");
        EXPECT_EQ(w.status, 503) << w.body;
        EXPECT_NE(w.body.find("config store unavailable: PostgreSQL 127.0.0.1:"), std::string::npos) << w.body;
        EXPECT_NE(w.body.find("retry later"), std::string::npos) << w.body;
    }
    EXPECT_EQ(mgmt(b->port(), "GET", "/request-retry").body, R"({"request-retry":2})");
    pg.start();
    // Back: writes succeed again and the other instance catches up, no restart.
    EXPECT_TRUE(eventually([&] { return mgmt(a->port(), "PUT", "/request-retry", R"({"value":6})").status == 200; }, 10s));
    EXPECT_TRUE(eventually([&] { return mgmt(b->port(), "GET", "/request-retry").body == R"({"request-retry":6})"; }, 15s));
    EXPECT_NE(b->stdoutText().find("reachable again"), std::string::npos);
}

TEST(PgConfigStore, AWriterStuckInsideItsTransactionDelaysOthersOnlyBoundedly) {
    PgCluster pg;
    auto a = startInstance(pg);
    // A stuck instance: its transaction holds the row and never ends.
    std::unique_ptr<PGconn, decltype(&PQfinish)> stuck(PQconnectdb(pg.dsn().c_str()), &PQfinish);
    ASSERT_EQ(PQstatus(stuck.get()), CONNECTION_OK);
    PQclear(PQexec(stuck.get(), "BEGIN"));
    PQclear(PQexec(stuck.get(), "SELECT version FROM cpa_config WHERE id = 1 FOR UPDATE"));
    const auto start = std::chrono::steady_clock::now();
    const HttpResponse w = mgmt(a->port(), "PUT", "/request-retry", R"({"value":4})");
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(w.status, 503) << w.body;
    EXPECT_NE(w.body.find("lock timeout"), std::string::npos) << w.body;
    EXPECT_LT(waited, 9s);
    EXPECT_GE(waited, 4s);  // lock_timeout 5 s
    stuck.reset();  // its session ends: the lock goes with it
    EXPECT_EQ(mgmt(a->port(), "PUT", "/request-retry", R"({"value":4})").status, 200);
}

TEST(PgConfigStore, AnUnknownStoreTypeRefusesToStart) {
    const RunResult r = runServerExpectFailure({"--config", "@CONFIG@"},
                                               std::string("host: 127.0.0.1\nport: 0\nstore:\n  type: sqlite\n"));
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.stderrText.find("store.type: expected file or postgres, got 'sqlite'"), std::string::npos) << r.stderrText;
}

}  // namespace
}  // namespace cpa::test::pgstore

namespace cpa::test::pgstore {
namespace {

TEST(PgStoreImport, MovesAFileDeploymentIntoPostgresAndRunningInstancesFollow) {
    PgCluster pg;
    auto a = startInstance(pg);
    TempDir dir;
    const auto file = dir.write("config.yaml", bootstrapConfig(pg) + "request-retry: 11\n");
    const RunResult r = runServerExpectFailure({"store", "import", "--config", file.string()});
    EXPECT_EQ(r.exitCode, 0) << r.stderrText;
    EXPECT_NE(r.stdoutText.find("as configuration version 2"), std::string::npos) << r.stdoutText;
    EXPECT_TRUE(eventually([&] { return mgmt(a->port(), "GET", "/request-retry").body == R"({"request-retry":11})"; }, 3s));
    EXPECT_EQ(pg.scalar("SELECT text FROM cpa_config").find("not-a-real-secret"), std::string::npos);
}

TEST(PgStoreImport, RefusesAFileThatSelectsNoSharedStore) {
    TempDir dir;
    const auto file = dir.write("config.yaml", "port: 0\n");
    const RunResult r = runServerExpectFailure({"store", "import", "--config", file.string()});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.stderrText.find("selects no shared store"), std::string::npos) << r.stderrText;
    const RunResult bare = runServerExpectFailure({"store", "import"});
    EXPECT_EQ(bare.exitCode, 2);
    EXPECT_NE(bare.stderrText.find("store import needs --config PATH"), std::string::npos) << bare.stderrText;
}

}  // namespace
}  // namespace cpa::test::pgstore
