#pragma once
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/value.hpp>

#include <stdexcept>
#include <string>

namespace cpa::sdk {

/// The one exception a module throws on purpose: it becomes a response with
/// `status` and `body` (by default the original's `{"error":"<message>"}`).
class CPA_SDK_API HttpError : public std::runtime_error {
public:
    HttpError(int status, const std::string& message);
    HttpError(int status, Value body, const std::string& logMessage);
    ~HttpError() override;

    int status() const noexcept { return status_; }
    const Value& body() const noexcept { return body_; }

private:
    int status_;
    Value body_;
};

}  // namespace cpa::sdk
