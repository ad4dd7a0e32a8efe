// An HTTP/1.x request head as a client sends it.
#include "http/request_head.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    cpa::core::RequestHead head;
    if (cpa::core::parseRequestHead(text, head) == cpa::core::HeadError::None) {
        // A head accepted with both framings would be request smuggling.
        if (head.chunked && head.contentLength) std::abort();
        for (const auto& h : head.headers) (void)head.find(h.first);
    }
    return 0;
}
