// The throwaway cluster every `postgres` test stands on.
#include "pg_cluster.hpp"

#include <gtest/gtest.h>

namespace cpa::test {
namespace {

TEST(PgCluster, StartsCreatesTheDatabaseStopsAndStartsAgain) {
    PgCluster pg;
    EXPECT_EQ(pg.scalar("SELECT current_database()"), "cpa");
    pg.exec("CREATE TABLE t (v int)");
    pg.exec("INSERT INTO t VALUES (42)");
    pg.stop();
    EXPECT_FALSE(pg.running());
    EXPECT_THROW(pg.scalar("SELECT 1"), std::runtime_error);
    pg.start();
    EXPECT_EQ(pg.scalar("SELECT v FROM t"), "42");  // the data outlives a restart
}

TEST(PgCluster, TwoClustersRunSideBySide) {
    PgCluster a;
    PgCluster b;
    EXPECT_NE(a.port(), b.port());
    a.exec("CREATE TABLE only_a (v int)");
    EXPECT_THROW(b.exec("SELECT * FROM only_a"), std::runtime_error);
}

}  // namespace
}  // namespace cpa::test
