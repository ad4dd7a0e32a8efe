#pragma once
// The schema cpa keeps in PostgreSQL, as numbered migrations that cpa applies
// itself at start-up (every instance may try; one advisory lock serialises them).
#include "config/pg/pg_connection.hpp"

namespace cpa::core::pg {

/// The newest schema version this build knows.
int latestSchemaVersion();

/// Applies every missing migration in one transaction. Throws PgError, or
/// std::runtime_error when the database's schema is newer than this build's.
void migrate(PgConnection& conn);

}  // namespace cpa::core::pg
