#pragma once
// The HTTP access line (logs.md §2.3):
//   <status> | <latency> | <client-ip> | <method> "<path>[?<masked-query>]"
#include <cpa/sdk/module.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace cpa::core {

/// Go-style duration text: below 1ms in whole µs ("512µs"), below a minute
/// truncated to ms ("12ms", "1.234s"), above in whole seconds ("2m3s", "1h0m5s").
std::string formatLatency(std::chrono::nanoseconds d);

/// The message part of an access line; the query (raw, without '?') is masked.
std::string formatAccessLine(int status, std::chrono::nanoseconds latency, std::string_view clientIp,
                             std::string_view method, std::string_view path, std::string_view rawQuery);

/// The same parts as JSON members for `log-format: json` (logs.md, issue 25):
/// `"status":…,"latency_ms":…,"client_ip":…,"method":…,"path":…` (query masked, in `path`).
std::string formatAccessFields(int status, std::chrono::nanoseconds latency, std::string_view clientIp,
                               std::string_view method, std::string_view path, std::string_view rawQuery);

/// error for >= 500, warning for >= 400, info otherwise.
sdk::LogLevel accessLogLevel(int status) noexcept;

}  // namespace cpa::core
