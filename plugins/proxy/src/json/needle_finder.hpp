#pragma once
// Substring search for a fixed needle that is looked up in every streamed
// event (e.g. `"usage"`). std::string_view::find scans for the needle's first
// character and compares at each hit; JSON is full of `"`, so it compared at
// nearly every member. Horspool skips up to the needle's length per step.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cpa::proxy {

class NeedleFinder {
public:
    /// `needle`: 1..255 bytes.
    explicit NeedleFinder(std::string_view needle);

    /// First position ≥ `from` where the needle starts, or npos.
    std::size_t find(std::string_view haystack, std::size_t from = 0) const;
    std::size_t size() const { return needle_.size(); }

private:
    std::string needle_;
    std::array<std::uint8_t, 256> shift_{};
};

}  // namespace cpa::proxy
