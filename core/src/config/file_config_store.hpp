#pragma once
// Contract of the file-backed config store (implementation: Foundation 2/2).
#include "config/config_authority.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/module.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace cpa::core {

/// Raised when the config file cannot be read, parsed or validated. The
/// message names the file and, for syntax errors, the line and column.
class ConfigLoadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class FileConfigStore : public sdk::ConfigStore {
public:
    /// ReadOnly (`cpa-server --check-config`): the file and its directory are
    /// never written (no hashed secret written back, no stale temp files
    /// removed) and every write through the store is refused.
    enum class Mode { ReadWrite, ReadOnly };

    /// Reads, parses and validates `path`, hashes a plaintext secret-key and
    /// (ReadWrite) writes the hash back. Throws ConfigLoadError.
    static std::shared_ptr<FileConfigStore> open(const std::string& path, sdk::Logger& logger,
                                                 Mode mode = Mode::ReadWrite);

    /// The same store over a document shared by several instances: `path` is
    /// the bootstrap only (its text seeds an empty authority, without its
    /// `store` key); every write is one authority transaction, and
    /// startWatching() follows other instances' writes instead of the file.
    /// A management write while the authority is unreachable throws
    /// HttpError(503). Throws ConfigLoadError.
    /// With `replaceShared` the file replaces the shared document as a new
    /// version (`cpa-server store import`).
    static std::shared_ptr<FileConfigStore> openShared(const std::string& path, sdk::Logger& logger,
                                                       std::shared_ptr<ConfigAuthority> authority,
                                                       bool replaceShared = false);

    /// Starts the directory watcher that reloads external edits (debounced).
    virtual void startWatching() = 0;
    virtual void stopWatching() noexcept = 0;
    virtual const std::string& path() const = 0;
    /// Where the document lives when it is not the file at path() (e.g.
    /// "PostgreSQL 127.0.0.1:5432/cpa"); empty for the file store.
    virtual std::string sharedSource() const = 0;
    /// Called once every module has declared its keys (after configure):
    /// checks the current file against every declaration (ConfigLoadError
    /// naming the file and line on a refusal), publishes it again when a
    /// module's YAML 1.1 boolean words now read as booleans, and from now on
    /// logs a warning with file and line for each undeclared key (here and on
    /// every reload or write of the whole file).
    virtual void applyDeclarations() = 0;
    /// Drops every validator, declaration and subscriber. Called at shutdown before module
    /// libraries are unloaded: their std::function targets live in that code.
    virtual void releaseCallbacks() noexcept = 0;

    /// Re-reads the file now (what the watcher does after its debounce; also
    /// usable for SIGHUP). True when a new snapshot was published; an
    /// unchanged, empty or invalid file (logged) publishes nothing.
    virtual bool reloadFromDisk() = 0;

    /// External edits published, and refused as invalid (each text once), since open.
    struct ReloadCounts {
        std::uint64_t reloads = 0;
        std::uint64_t failures = 0;
    };
    virtual ReloadCounts reloadCounts() const noexcept = 0;
};

}  // namespace cpa::core
