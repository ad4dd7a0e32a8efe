#include "json/needle_finder.hpp"

#include <cstring>
#include <stdexcept>

namespace cpa::proxy {

NeedleFinder::NeedleFinder(std::string_view needle) : needle_(needle) {
    if (needle.empty() || needle.size() > 255) throw std::invalid_argument("needle must be 1..255 bytes");
    shift_.fill(static_cast<std::uint8_t>(needle.size()));
    for (std::size_t i = 0; i + 1 < needle.size(); ++i)
        shift_[static_cast<unsigned char>(needle[i])] = static_cast<std::uint8_t>(needle.size() - 1 - i);
}

std::size_t NeedleFinder::find(std::string_view haystack, std::size_t from) const {
    const std::size_t m = needle_.size();
    if (from > haystack.size() || haystack.size() - from < m) return std::string_view::npos;
    const char* h = haystack.data();
    const unsigned char last = static_cast<unsigned char>(needle_[m - 1]);
    for (std::size_t pos = from; pos + m <= haystack.size();) {
        const auto c = static_cast<unsigned char>(h[pos + m - 1]);
        if (c == last && std::memcmp(h + pos, needle_.data(), m - 1) == 0) return pos;
        pos += shift_[c];
    }
    return std::string_view::npos;
}

}  // namespace cpa::proxy
