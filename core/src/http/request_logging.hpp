#pragma once
#include <cpa/sdk/module.hpp>

#include <string_view>

namespace cpa::core {

/// Logs `message`, putting `requestId` in the line's request-id column when
/// the logger is the core's SinkLogger (other loggers get the plain message).
/// Never throws.
void logWithRequestId(sdk::Logger& logger, sdk::LogLevel level, std::string_view requestId,
                      std::string_view message) noexcept;

/// The same for an access line, written in the background (batched) by the
/// core's SinkLogger; other loggers get it at once. Never throws.
/// `jsonFields`: the line's parts as JSON members, used with `log-format: json`.
void logAccessLine(sdk::Logger& logger, sdk::LogLevel level, std::string_view requestId,
                   std::string_view line, std::string_view jsonFields = {}) noexcept;

}  // namespace cpa::core
