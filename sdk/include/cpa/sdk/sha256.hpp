#pragma once
// SHA-256 (Poco's engine behind one pair of functions).
#include <cpa/sdk/export.hpp>

#include <string>
#include <string_view>

namespace cpa::sdk {

/// The raw 32-byte digest of `data`.
CPA_SDK_API std::string sha256Bytes(std::string_view data);
/// Lower-case hex SHA-256 of `data` (64 characters).
CPA_SDK_API std::string sha256Hex(std::string_view data);

}  // namespace cpa::sdk
