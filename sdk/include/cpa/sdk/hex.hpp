#pragma once
// Hex digits: the one table and digit reader for ids, digests, escapes.
#include <string>
#include <string_view>

namespace cpa::sdk {

inline constexpr char kHexLower[] = "0123456789abcdef";
inline constexpr char kHexUpper[] = "0123456789ABCDEF";

/// The value of a hex digit (either case), -1 for any other character.
constexpr int hexDigitValue(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Appends the two hex digits of a byte (`digits`: kHexLower or kHexUpper).
inline void appendHexByte(std::string& out, unsigned char byte, const char* digits = kHexLower) {
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 0x0F]);
}

/// Lower-case hex of bytes.
inline std::string hexLower(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) appendHexByte(out, static_cast<unsigned char>(c));
    return out;
}

}  // namespace cpa::sdk
