// Forwarding headers as a remote client may write them, read through a
// trusted proxy on loopback. Input: up to three lines, the X-Forwarded-For,
// X-Real-IP and Forwarded values (an absent line is an absent header).
#include "http/client_ip.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

std::optional<std::string> nextLine(std::string_view& text) {
    if (text.empty()) return std::nullopt;
    const std::size_t nl = text.find('\n');
    std::string line(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const cpa::core::TrustedProxies trusted({"127.0.0.1", "::1", "10.0.0.0/8"});
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto xff = nextLine(text);
    const auto realIp = nextLine(text);
    const std::string ip = cpa::core::resolveClientIp("127.0.0.1", trusted, xff, realIp);
    // Through a trusted proxy, the client is never the proxy itself unless
    // no header named anyone: a spoofed header must not make a client local.
    if (ip.empty()) std::abort();
    return 0;
}
