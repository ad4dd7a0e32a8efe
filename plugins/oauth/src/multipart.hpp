#pragma once
// multipart/form-data bodies (auth uploads, vertex import) over Poco's reader.
#include <cpa/sdk/http.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cpa::oauth {

struct FormPart {
    std::string field;     ///< form field name
    std::string fileName;  ///< client file name ("" for a plain field)
    std::string content;
};

/// Lower-cased media type of the request without parameters ("" when absent).
std::string mediaType(const sdk::Request& req);

/// Every part in submission order. Throws std::invalid_argument with the
/// reason when the body is not a well-formed multipart body.
std::vector<FormPart> parseMultipart(const sdk::Request& req);

/// File parts ordered by field name (sorted), then submission order.
std::vector<FormPart> fileParts(const std::vector<FormPart>& parts);

/// First plain (non-file) field value.
std::optional<std::string> formValue(const std::vector<FormPart>& parts, const std::string& field);

}  // namespace cpa::oauth
