#include "http/exception_mapping.hpp"

#include "http/request_logging.hpp"

#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>

namespace cpa::core {

namespace {

constexpr std::string_view kJsonType = "application/json; charset=utf-8";
constexpr std::string_view kInternal = R"({"error":"internal server error"})";

void logFailure(sdk::Logger& logger, const std::string& requestId, sdk::LogLevel level,
                const std::string& message) noexcept {
    logWithRequestId(logger, level, requestId, "request " + requestId + ": " + message);
}

void writeInternal(sdk::Response& res) {
    res.setStatus(500);
    res.setBody(std::string(kInternal), kJsonType);
}

}  // namespace

bool mapException(std::exception_ptr error, sdk::Response& res, const std::string& requestId,
                  sdk::Logger& logger) noexcept {
    bool streaming = false;
    try {
        streaming = res.streaming();
    } catch (...) {
        streaming = true;
    }
    try {
        try {
            std::rethrow_exception(error);
        } catch (const sdk::HttpError& e) {
            if (streaming) {
                logFailure(logger, requestId, sdk::LogLevel::Warning,
                           "error " + std::to_string(e.status()) + " after the response started streaming: " +
                               e.what());
                return false;
            }
            if (e.status() >= 500) logFailure(logger, requestId, sdk::LogLevel::Error, e.what());
            std::string body;
            try {
                body = sdk::toJson(e.body());
            } catch (...) {
                writeInternal(res);
                return true;
            }
            try {
                res.setStatus(e.status());
            } catch (...) {
                logFailure(logger, requestId, sdk::LogLevel::Error,
                           "HttpError with invalid status " + std::to_string(e.status()) + ": " + e.what());
                writeInternal(res);
                return true;
            }
            if (e.body().isNull()) {
                res.setBody(std::string(), {});
            } else {
                res.setBody(std::move(body), kJsonType);
            }
            return true;
        } catch (const std::exception& e) {
            logFailure(logger, requestId, sdk::LogLevel::Error,
                       std::string(streaming ? "failed while streaming: " : "failed: ") + e.what());
        } catch (...) {
            logFailure(logger, requestId, sdk::LogLevel::Error,
                       streaming ? "failed while streaming: unknown exception" : "failed: unknown exception");
        }
        if (streaming) return false;
        writeInternal(res);
        return true;
    } catch (...) {
        // Writing the error response itself failed; let the caller close.
        return false;
    }
}

}  // namespace cpa::core
