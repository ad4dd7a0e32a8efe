#pragma once
// Where the configuration document lives when several instances share it
// (store: {type: postgres}). The config store keeps its snapshots, validation
// and rendering; an authority only stores versioned text, runs one write
// transaction at a time across every instance, and says when another instance
// may have written. No database type appears here: the PostgreSQL one is in
// config/pg/.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace cpa::core {

/// The shared document: `version` grows by one with every committed write
/// (0: nothing stored yet).
struct SharedDocument {
    std::uint64_t version = 0;
    std::string text;
};

/// The authority cannot be reached (or the outcome of a commit is unknown).
/// Nothing was changed by this call; management answers 503.
class StoreUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ConfigAuthority {
public:
    virtual ~ConfigAuthority() = default;

    /// The committed document. Throws StoreUnavailable.
    virtual SharedDocument read() = 0;

    /// One write transaction: the document is locked against every other
    /// writer (all instances), `edit` gets the committed state and returns the
    /// new text, or nullopt to change nothing. Returns the committed version
    /// (nullopt: nothing written). An exception from `edit` rolls back and
    /// propagates; connection trouble throws StoreUnavailable.
    virtual std::optional<std::uint64_t> transact(
        const std::function<std::optional<std::string>(const SharedDocument& current)>& edit) = 0;

    /// Calls `onChange` (on a thread of the authority) whenever the committed
    /// version differs from the last one it saw: within about a second of a
    /// write by any instance, and after a lost connection came back.
    virtual void startWatching(std::function<void()> onChange) = 0;
    virtual void stopWatching() noexcept = 0;

    /// For messages: e.g. "PostgreSQL 127.0.0.1:5432/cpa" (never a password).
    virtual std::string describe() const = 0;
};

}  // namespace cpa::core
