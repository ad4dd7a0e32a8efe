#pragma once
// Where the usage store's records are kept durably: the local append-only
// file (UsageLog, deviation D13) or, with the shared store, PostgreSQL
// (SharedUsageLog, docs/shared-store.md). The module only sees this.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace cpa::usage {

class RecordLog {
public:
    struct ReplayResult {
        std::size_t applied = 0;  ///< lines the store accepted
        std::size_t rejected = 0;  ///< complete lines that did not decode (skipped)
        bool tornTail = false;    ///< an unterminated last line was cut off
    };
    /// Counters that later tell whether any line was lost (see syncSince).
    struct Mark {
        std::uint64_t dropped = 0;
        std::uint64_t failures = 0;
    };

    virtual ~RecordLog() = default;
    /// Hands every kept line to `apply` (start-up replay), then gets ready to append.
    virtual ReplayResult open(const std::function<bool(std::string_view line)>& apply) = 0;
    virtual void start() = 0;
    /// Never blocks on I/O; `line` must not contain a newline.
    virtual void append(std::string line) = 0;
    virtual Mark mark() const = 0;
    /// Blocks until every line appended so far is durable; true iff that
    /// worked and nothing appended since `since` was lost.
    virtual bool syncSince(const Mark& since) = 0;
    virtual void stop() noexcept = 0;
    virtual std::size_t dropped() const = 0;
    /// For messages: the file, or the database.
    virtual std::string where() const = 0;
    /// Runs an import (merge + syncSince). A shared log first applies every
    /// other instance's records and holds a lock across instances meanwhile,
    /// so the import's dedup sees every record of every instance.
    virtual void exclusiveImport(const std::function<void()>& run) { run(); }
};

}  // namespace cpa::usage
