#pragma once
// The one place where an exception from a handler, middleware or guard
// becomes a response (architecture.md §3).
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/module.hpp>

#include <exception>
#include <string>

namespace cpa::core {

/// sdk::HttpError → its status and JSON body; any other exception → 500
/// {"error":"internal server error"}, its what() logged with the request id
/// (never sent). When `res` is already streaming nothing can be sent: the
/// error is logged and false is returned so the caller closes the connection.
/// Returns true when the response now holds the error. Never throws.
bool mapException(std::exception_ptr error, sdk::Response& res, const std::string& requestId,
                  sdk::Logger& logger) noexcept;

}  // namespace cpa::core
