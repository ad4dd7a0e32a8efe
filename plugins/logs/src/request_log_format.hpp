#pragma once
// Request log files from `request.completed` records (logs.md §5, docs/events.md):
// naming, masking and the section layout.
#include <cpa/sdk/value.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace cpa::logs {

/// logs.md §5.6: >8 chars → 4…4, 5–8 → 2…2, 3–4 → 1…1, shorter unchanged.
std::string maskValue(std::string_view value);
/// A header value as logged: `authorization` keeps its scheme word; names
/// containing api-key/apikey/token/secret are masked; others unchanged.
std::string maskHeaderValue(std::string_view name, std::string_view value);
/// A raw query string with sensitive parameters masked (and URL-escaped).
std::string maskQuery(std::string_view rawQuery);
/// "/v1/chat/completions" → "v1-chat-completions" (logs.md §5.3); "" → "root".
std::string sanitizePathForFileName(std::string_view path);
/// "<sanitized>-YYYY-MM-DDTHHMMSS-<id>.log", prefixed "error-" when asked.
std::string requestLogFileName(std::string_view path, std::chrono::system_clock::time_point when,
                               std::string_view id, bool errorFile);

/// Whether logs.md §5.1 captures the request (management, /api except /api/provider,
/// plain GETs are not captured).
bool capturesRequest(const sdk::Value& record);

/// Whether a record is written at all: every captured one with request-log
/// on (`full`), otherwise only a failed one (status >= 400 or an upstream
/// error; logs.md §5.4). Asked before a record is copied for the writer.
bool writesRecord(const sdk::Value& record, bool full);

/// The file content for one record. `full` = request-log on (upstream
/// attempts included); otherwise the error-only layout.
std::string renderRequestLog(const sdk::Value& record, std::string_view version, bool full);

}  // namespace cpa::logs
