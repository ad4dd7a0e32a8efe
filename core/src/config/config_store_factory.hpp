#pragma once
// Which config store a server runs with: `store:` in the local config file
// (the bootstrap), or the environment.
//   store: {type: file}                      the file is the configuration (default)
//   store: {type: postgres, dsn: "<libpq>"}  the configuration lives in PostgreSQL
// CPA_STORE_DSN, when set and not empty, selects postgres with that DSN.
#include "config/file_config_store.hpp"

#include <cpa/sdk/module.hpp>
#include <cpa/sdk/shared_store.hpp>
#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace cpa::core {

struct StoreSettings {
    enum class Type { File, Postgres };
    Type type = Type::File;
    std::string dsn;  ///< Postgres only; a secret (may hold a password): never logged
};

/// Reads `store` of `root`; `envDsn` (CPA_STORE_DSN, may be null) overrides.
/// Throws ConfigLoadError for an unknown type or a postgres store without DSN.
StoreSettings readStoreSettings(const sdk::Value& root, const char* envDsn);

/// This server's name in the shared store (who wrote what): $CPA_INSTANCE_ID,
/// else "<hostname>:<pid>".
std::string instanceName();

/// Opens the store the file at `path` selects (its settings into `settings`
/// when given). The postgres store waits for the database (retrying, each
/// failure logged to `startupLog` at once). Throws ConfigLoadError.
std::shared_ptr<FileConfigStore> openConfigStore(const std::string& path, sdk::Logger& storeLog,
                                                 sdk::Logger& startupLog, StoreSettings* settings = nullptr);

/// `cpa.SharedStore/1` for modules that keep shared state (null for the file store).
std::shared_ptr<sdk::SharedStore> makeSharedStoreService(const StoreSettings& settings);

}  // namespace cpa::core

namespace cpa::core {

/// `cpa-server store import --config F`: F's configuration replaces the
/// shared document as a new version (running instances pick it up within a
/// second). F must select the postgres store. Returns the new version.
/// Throws ConfigLoadError.
std::uint64_t importIntoSharedStore(const std::string& path, sdk::Logger& log);

}  // namespace cpa::core
