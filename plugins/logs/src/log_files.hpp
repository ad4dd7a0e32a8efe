#pragma once
// Which files of the log directory belong to the application log, and in
// which order they hold its lines (logs.md §3.3).
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::logs {

/// Parses "YYYY-MM-DD HH:MM:SS" (exactly 19 chars, local time); nullopt otherwise.
std::optional<std::int64_t> parseLocalTimestamp(std::string_view text);

/// The timestamp of an application log line: one leading '[' skipped, then the
/// next 19 characters; 0 when there is none.
std::int64_t lineTimestamp(std::string_view line);

/// Sort key of an application log file name (main.log → 0, main.log.<N> → N,
/// main-<YYYY-MM-DDTHH-MM-SS>[.<x>].log[.gz] → INT64_MAX − unix seconds);
/// nullopt for any other name.
std::optional<std::int64_t> mainLogOrder(std::string_view name);

/// True for rotated backups (a main log file other than main.log itself).
inline bool isMainLogBackup(std::string_view name) { return name != "main.log" && mainLogOrder(name).has_value(); }

/// The application log files directly in `dir`, oldest content first
/// (descending sort key), main.log last. Throws std::filesystem::filesystem_error.
std::vector<std::filesystem::path> mainLogFilesOldestFirst(const std::filesystem::path& dir);

}  // namespace cpa::logs
