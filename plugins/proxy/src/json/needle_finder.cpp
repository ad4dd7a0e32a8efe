#include "json/needle_finder.hpp"

#include <algorithm>
#include <stdexcept>

namespace cpa::proxy {

namespace {
const std::string& checked(const std::string& needle) {
    if (needle.empty() || needle.size() > 255) throw std::invalid_argument("needle must be 1..255 bytes");
    return needle;
}
}  // namespace

NeedleFinder::NeedleFinder(std::string_view needle)
    : needle_(needle), searcher_(checked(needle_).cbegin(), needle_.cend()) {}

std::size_t NeedleFinder::find(std::string_view haystack, std::size_t from) const {
    if (from > haystack.size()) return std::string_view::npos;
    const auto hit = std::search(haystack.begin() + static_cast<std::ptrdiff_t>(from), haystack.end(), searcher_);
    return hit == haystack.end() ? std::string_view::npos : static_cast<std::size_t>(hit - haystack.begin());
}

}  // namespace cpa::proxy
