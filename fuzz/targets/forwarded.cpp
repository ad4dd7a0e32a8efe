// Forwarding headers as a remote client may write them, read through a
// trusted proxy on loopback. Input: up to three lines, the X-Forwarded-For,
// Forwarded and X-Real-IP values (an absent line is an absent header, an
// empty one a blank header).
#include "http/client_ip.hpp"
#include "http/forwarded_header.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::optional<std::string> nextLine(std::string_view& text) {
    if (text.empty()) return std::nullopt;
    const std::size_t nl = text.find('\n');
    std::string line(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    return line;
}

bool blank(const std::optional<std::string>& v) {
    return !v || v->find_first_not_of(" \t") == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const cpa::core::TrustedProxies trusted({"127.0.0.1", "::1", "10.0.0.0/8"});
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto xff = nextLine(text);
    const auto forwarded = nextLine(text);
    const auto realIp = nextLine(text);
    const cpa::core::HeaderLookup lookup = [&](std::string_view name) -> std::optional<std::string> {
        if (name == "X-Forwarded-For") return xff;
        if (name == "Forwarded") return forwarded;
        if (name == "X-Real-IP") return realIp;
        return std::nullopt;
    };
    const std::string ip = cpa::core::resolveClientIp("127.0.0.1", trusted, lookup);
    if (ip.empty()) std::abort();
    // The bypass this guards against: a client counts as a trusted (local)
    // address only when every hop of the header that decided is trusted.
    if (!trusted.contains(ip)) return 0;
    std::vector<cpa::core::ForwardedHop> hops;
    if (!blank(xff)) hops = cpa::core::parseXForwardedFor(*xff);
    else if (!blank(forwarded)) hops = cpa::core::parseForwarded(*forwarded);
    else if (!blank(realIp)) hops = cpa::core::parseXForwardedFor(*realIp);
    for (const auto& hop : hops) {
        if (!hop.valid() || !trusted.contains(hop.address)) std::abort();
    }
    return 0;
}
