// Out-of-line key functions: the vtables and typeinfo of the SDK's exception
// types live once, exported, in libcpa_sdk.so, so a catch in the core matches
// a throw from a plugin.
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>

namespace cpa::sdk {

HttpError::HttpError(int status, const std::string& message)
    : std::runtime_error(message), status_(status), body_(Value::object({{"error", message}})) {}

HttpError::HttpError(int status, Value body, const std::string& logMessage)
    : std::runtime_error(logMessage), status_(status), body_(std::move(body)) {}

HttpError::~HttpError() = default;

JsonError::~JsonError() = default;

}  // namespace cpa::sdk
