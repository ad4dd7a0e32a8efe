#pragma once
// The configuration document in PostgreSQL (table cpa_config, one row): row
// lock + version per write, NOTIFY cpa_config on commit, a watcher thread that
// LISTENs and polls the version every second as a fallback.
#include "config/config_authority.hpp"

#include <cpa/sdk/module.hpp>

#include <memory>
#include <string>

namespace cpa::core::pg {

/// Connects to `dsn` and migrates the schema. While PostgreSQL cannot be
/// reached it logs a clear error and retries (1 s, doubling up to 10 s) until
/// it can, or until `attempts` tries failed (0: forever); then it throws
/// StoreUnavailable. Other failures (authentication, a newer schema) throw
/// StoreUnavailable at once. `instance` names this server in updated_by.
std::shared_ptr<ConfigAuthority> openPgConfigAuthority(const std::string& dsn, std::string instance,
                                                       sdk::Logger& logger, int attempts = 0);

}  // namespace cpa::core::pg
