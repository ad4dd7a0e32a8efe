#pragma once
// Request and error log files in the log directory (logs.md §6–§8, D8):
// listing, name checks and safe resolution of a downloadable file.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::logs {

struct ErrorLogInfo {
    std::string name;
    std::uint64_t size = 0;
    std::int64_t modified = 0;  ///< Unix seconds
};

/// Regular files named error-*.log, newest first. Throws filesystem_error.
std::vector<ErrorLogInfo> listErrorLogs(const std::filesystem::path& dir);

/// The request id of a request log file name
/// "[error-]<path>-YYYY-MM-DDTHHMMSS-<id>.log"; nullopt for other names.
std::optional<std::string> requestIdOfLogName(std::string_view name);

/// Request ids are what the core issues: letters, digits and `_` (1–128 chars);
/// anything else cannot name a request log.
bool plausibleRequestId(std::string_view id);

/// The newest regular file in `dir` whose name carries exactly `id`.
std::optional<std::string> findRequestLog(const std::filesystem::path& dir, std::string_view id);

enum class ResolveStatus { Ok, InvalidPath, NotFound, NotAFile, ReadError };

struct Resolved {
    ResolveStatus status;
    std::filesystem::path path;
    std::string detail;
};

/// `name` (already checked to be one segment) inside `dir`: the lexical path
/// must stay below dir, and when it is a symlink its target must too.
Resolved resolveInside(const std::filesystem::path& dir, const std::string& name);

}  // namespace cpa::logs
