#include "http/request_logging.hpp"

#include "runtime/logger.hpp"

namespace cpa::core {

void logWithRequestId(sdk::Logger& logger, sdk::LogLevel level, std::string_view requestId,
                      std::string_view message) noexcept {
    try {
        if (auto* sink = dynamic_cast<SinkLogger*>(&logger)) {
            sink->log(level, requestId, message);
        } else {
            logger.log(level, message);
        }
    } catch (...) {
        // A failing logger must never fail the request.
    }
}

void logAccessLine(sdk::Logger& logger, sdk::LogLevel level, std::string_view requestId,
                   std::string_view line, std::string_view jsonFields) noexcept {
    try {
        if (auto* sink = dynamic_cast<SinkLogger*>(&logger)) {
            sink->logDeferred(level, requestId, line, jsonFields);
        } else {
            logger.log(level, line);
        }
    } catch (...) {
        // A failing logger must never fail the request.
    }
}

}  // namespace cpa::core
