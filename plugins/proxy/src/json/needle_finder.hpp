#pragma once
// Substring search for a fixed needle that is looked up in every streamed
// event (e.g. `"usage"`). std::string_view::find scans for the needle's first
// character and compares at each hit; JSON is full of `"`, so it compared at
// nearly every member. The standard Horspool searcher skips up to the
// needle's length per step; this keeps one, built once, per needle.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace cpa::proxy {

class NeedleFinder {
public:
    /// `needle`: a short key, 1..255 bytes.
    explicit NeedleFinder(std::string_view needle);
    // The searcher points into needle_: neither may move.
    NeedleFinder(const NeedleFinder&) = delete;
    NeedleFinder& operator=(const NeedleFinder&) = delete;

    /// First position ≥ `from` where the needle starts, or npos.
    std::size_t find(std::string_view haystack, std::size_t from = 0) const;
    std::size_t size() const { return needle_.size(); }

private:
    const std::string needle_;
    const std::boyer_moore_horspool_searcher<std::string::const_iterator> searcher_;
};

}  // namespace cpa::proxy
