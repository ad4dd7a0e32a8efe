#include "routing/error_class.hpp"

#include "routing/model_name.hpp"

#include <array>

namespace cpa::proxy {

bool isModelSupportError(int status, std::string_view text) {
    if (status != 400 && status != 422) return false;
    static constexpr std::array<std::string_view, 10> needles = {
        "model_not_supported",        "requested model is not supported", "requested model is unsupported",
        "requested model is unavailable", "model is not supported",        "model not supported",
        "unsupported model",          "model unavailable",                "not available for your plan",
        "not available for your account"};
    for (std::string_view n : needles)
        if (containsIgnoreCase(text, n)) return true;
    return false;
}

bool isRequestScopedNotFound(int status, std::string_view text) {
    return status == 404 && containsIgnoreCase(text, "item with id") && containsIgnoreCase(text, "not found") &&
           containsIgnoreCase(text, "items are not persisted when `store` is set to false");
}

bool isRequestInvalid(int status, std::string_view text) {
    if (isModelSupportError(status, text)) return false;
    switch (status) {
        case 400:
            return text.find("invalid_request_error") != std::string_view::npos ||
                   text.find("INVALID_ARGUMENT") != std::string_view::npos ||
                   text.find("FAILED_PRECONDITION") != std::string_view::npos;
        case 422:
            return true;
        case 404:
            return isRequestScopedNotFound(status, text);
        case 500:
            return text.find("\"status\":\"UNKNOWN\"") != std::string_view::npos ||
                   text.find("\"status\": \"UNKNOWN\"") != std::string_view::npos;
        default:
            return false;
    }
}

bool isBootstrapRetryable(int status) {
    return status == 0 || status == 401 || status == 402 || status == 403 || status == 408 || status == 429 ||
           status >= 500;
}

}  // namespace cpa::proxy
