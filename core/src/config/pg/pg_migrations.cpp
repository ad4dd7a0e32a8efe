#include "config/pg/pg_migrations.hpp"

#include <string>
#include <vector>

namespace cpa::core::pg {
namespace {

struct Migration {
    int version;
    const char* name;
    const char* sql;
};

// Append only: a released migration never changes (instances of several
// builds may share one database during a rolling upgrade).
const std::vector<Migration>& migrations() {
    static const std::vector<Migration> kAll{
        {1, "config document",
         "CREATE TABLE cpa_config ("
         "  id integer PRIMARY KEY CHECK (id = 1),"
         "  version bigint NOT NULL,"
         "  text text NOT NULL,"
         "  updated_at timestamptz NOT NULL DEFAULT now(),"
         "  updated_by text NOT NULL DEFAULT '');"
         "INSERT INTO cpa_config (id, version, text) VALUES (1, 0, '');"},
        // One row per usage record, the usage module's log line as is. Writers
        // insert under an advisory lock, so ids commit in id order and a
        // reader's "id > last seen" misses nothing (plugins/usage/src/shared_usage_log.cpp).
        {2, "usage records",
         "CREATE TABLE cpa_usage ("
         "  id bigserial PRIMARY KEY,"
         "  writer text NOT NULL,"
         "  line text NOT NULL,"
         "  created_at timestamptz NOT NULL DEFAULT now());"},
        // The auth-dir's credential files: one row per file name, content NULL
        // once deleted; `version` from one sequence, written under an advisory
        // lock so that "version > last seen" misses nothing
        // (plugins/oauth/src/shared_auth_sync.cpp).
        {3, "credential files",
         "CREATE SEQUENCE cpa_credentials_version;"
         "CREATE TABLE cpa_credentials ("
         "  name text PRIMARY KEY,"
         "  content text,"
         "  version bigint NOT NULL,"
         "  updated_at timestamptz NOT NULL DEFAULT now(),"
         "  updated_by text NOT NULL DEFAULT '');"},
    };
    return kAll;
}

// Any constant shared by every cpa build: the lock that serialises migrations.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7368001)";

}  // namespace

int latestSchemaVersion() { return migrations().back().version; }

void migrate(PgConnection& conn) {
    conn.exec("BEGIN");
    try {
        conn.exec(kMigrationLock);
        conn.exec(
            "CREATE TABLE IF NOT EXISTS cpa_schema_migrations ("
            "  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        const int current = std::stoi(conn.exec("SELECT coalesce(max(version), 0) FROM cpa_schema_migrations").text(0, 0));
        if (current > latestSchemaVersion()) {
            throw std::runtime_error("the database's schema version " + std::to_string(current) +
                                     " is newer than this cpa-server's (" + std::to_string(latestSchemaVersion()) +
                                     "): upgrade cpa-server");
        }
        for (const Migration& m : migrations()) {
            if (m.version <= current) continue;
            conn.exec(m.sql);
            conn.exec("INSERT INTO cpa_schema_migrations (version, name) VALUES ($1, $2)",
                      {std::to_string(m.version), m.name});
        }
        conn.exec("COMMIT");
    } catch (...) {
        try {
            if (conn.ok()) conn.exec("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
}

}  // namespace cpa::core::pg
