#pragma once
// GET /logs (logs.md §3.4) answered from the end of the files: scanning stops
// once `limit` lines are kept (or, with a cutoff, at the first older entry).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cpa::logs {

struct LogQuery {
    std::int64_t cutoff = 0;            ///< `after`; 0 = none
    std::optional<std::size_t> limit;   ///< keep only the last N included lines
};

struct LogQueryResult {
    std::vector<std::string> lines;  ///< file order
    std::int64_t lineCount = 0;      ///< lines scanned
    std::int64_t latestTimestamp = 0;
};

/// A file could not be read: "failed to read log file <path>: <detail>".
class LogReadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// `filesOldestFirst` as from mainLogFilesOldestFirst(). Throws LogReadError.
LogQueryResult queryLogs(const std::vector<std::filesystem::path>& filesOldestFirst, const LogQuery& query);

}  // namespace cpa::logs
