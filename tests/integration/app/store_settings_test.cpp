// `store:` of the bootstrap file and CPA_STORE_DSN (no database needed).
#include "config/config_store_factory.hpp"
#include "config/pg/pg_connection.hpp"

#include <gtest/gtest.h>

namespace cpa::core {
namespace {

sdk::Value store(const std::string& type, const std::string& dsn = "") {
    sdk::Value s = sdk::Value::object({{"type", sdk::Value(type)}});
    if (!dsn.empty()) s.set("dsn", sdk::Value(dsn));
    return sdk::Value::object({{"store", s}});
}

TEST(StoreSettings, FileIsTheDefault) {
    EXPECT_EQ(readStoreSettings(sdk::Value::object({}), nullptr).type, StoreSettings::Type::File);
    EXPECT_EQ(readStoreSettings(store("file"), "").type, StoreSettings::Type::File);
}

TEST(StoreSettings, PostgresWithItsDsnAndTheEnvironmentOverrides) {
    StoreSettings s = readStoreSettings(store("postgres", "host=a dbname=x"), nullptr);
    EXPECT_EQ(s.type, StoreSettings::Type::Postgres);
    EXPECT_EQ(s.dsn, "host=a dbname=x");
    s = readStoreSettings(store("postgres", "host=a dbname=x"), "host=b dbname=y");
    EXPECT_EQ(s.dsn, "host=b dbname=y");
    s = readStoreSettings(sdk::Value::object({}), "host=c");
    EXPECT_EQ(s.type, StoreSettings::Type::Postgres);
}

TEST(StoreSettings, RefusesAnUnknownTypeAndAPostgresStoreWithoutDsn) {
    EXPECT_THROW(readStoreSettings(store("sqlite"), nullptr), ConfigLoadError);
    try {
        readStoreSettings(store("postgres"), nullptr);
        FAIL();
    } catch (const ConfigLoadError& e) {
        EXPECT_NE(std::string(e.what()).find("set store.dsn or CPA_STORE_DSN"), std::string::npos);
    }
}

TEST(StoreSettings, TheDatabaseIsDescribedWithoutUserOrPassword) {
    EXPECT_EQ(pg::describeDsn("host=db.internal port=6543 dbname=cpa user=u password=secret"),
              "PostgreSQL db.internal:6543/cpa");
    EXPECT_EQ(pg::describeDsn("postgresql://u:secret@db:5433/cpa"), "PostgreSQL db:5433/cpa");
    EXPECT_EQ(pg::describeDsn("host='unterminated"), "PostgreSQL (unparsable connection string)");
}

}  // namespace
}  // namespace cpa::core
