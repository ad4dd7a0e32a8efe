#pragma once
#include <cstddef>
#include <string_view>

namespace cpa::core {

/// Compares without an early exit on the first differing byte. Only the
/// length is observable through timing.
inline bool constantTimeEquals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

}  // namespace cpa::core
