#pragma once
// URL pieces: query strings (decoded with cpa/sdk/url_encoding.hpp) and the masking of
// secrets in a query string before it reaches the access log.
#include <cpa/sdk/http.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::core {

/// Splits "a=1&b=%20x&c" into decoded {name, value} pairs in order ("c" has an
/// empty value). Malformed escapes keep the raw text of that item; empty items are skipped.
std::vector<sdk::Header> parseQuery(std::string_view rawQuery);

/// Whether a query parameter name (decoded, any case, trailing "[]" ignored)
/// names a secret: key, auth, password, or containing api-key, apikey, api_key,
/// token (access_token…), secret, password.
bool isSensitiveQueryName(std::string_view name);

/// The raw query with the values of sensitive parameters replaced by "***";
/// everything else is kept byte for byte.
std::string maskQuery(std::string_view rawQuery);

}  // namespace cpa::core
