#pragma once
// logs/audit.log (issue 25): one JSON object per management write, rotated like
// main.log, read back newest first for GET /v0/management/audit.
#include "main_log_file.hpp"

#include <cpa/sdk/value.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

namespace cpa::logs {

class AuditLog {
public:
    explicit AuditLog(std::filesystem::path dir, std::uint64_t maxBytes = kMainLogMaxBytes);

    /// Gives `entry` (an object) the next id and appends it as one line.
    /// The file is created on the first entry. False when the write failed.
    bool append(sdk::Value entry);

    /// Up to `limit` entries with an id above `after`, oldest first: the latest
    /// ones of audit.log (rotated files are not read). Throws std::runtime_error
    /// when the file cannot be read.
    sdk::Value latest(std::size_t limit, std::uint64_t after) const;
    std::uint64_t lastId() const;

private:
    std::filesystem::path dir_;
    std::uint64_t maxBytes_;
    mutable std::mutex mutex_;
    std::unique_ptr<MainLogFile> file_;
    std::optional<std::uint64_t> lastId_;  ///< read from the file's last line when first needed
};

}  // namespace cpa::logs
