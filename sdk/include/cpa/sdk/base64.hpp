#pragma once
// Base64 (RFC 4648) over Poco's encoder and decoder.
#include <cpa/sdk/export.hpp>

#include <string>
#include <string_view>

namespace cpa::sdk {

/// Standard alphabet, padded, one line (HTTP Basic credentials).
CPA_SDK_API std::string base64Encode(std::string_view bytes);
/// URL alphabet without padding (PKCE, JWT parts).
CPA_SDK_API std::string base64UrlEncode(std::string_view bytes);
/// Padded or unpadded text of either alphabet ('-' or '+', '_' or '/'), as JWT
/// parts arrive; throws std::invalid_argument on any other character or an
/// impossible length.
CPA_SDK_API std::string base64UrlDecode(std::string_view text);

}  // namespace cpa::sdk
