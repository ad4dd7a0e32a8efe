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
void logAccessLine(sdk::Logger& logger, sdk::LogLevel level, std::string_view requestId,
                   std::string_view line) noexcept;

}  // namespace cpa::core
