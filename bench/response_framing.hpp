// Framing of HTTP/1.1 responses read from a keep-alive connection, for the bench clients.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <string_view>

namespace cpa::bench {

inline std::string lower(std::string_view s) {
    std::string r(s);
    std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return r;
}

/// Size of the first complete response at the front of `buf`: 0 while incomplete, -1 if it
/// cannot be framed (no Content-Length, not chunked, not a 204/304). Sets `status` and `close`.
inline long responseLength(std::string_view buf, int& status, bool& close) {
    const std::size_t headEnd = buf.find("\r\n\r\n");
    if (headEnd == std::string_view::npos) return 0;
    if (buf.size() < 12 || buf.substr(0, 5) != "HTTP/") return -1;
    status = std::atoi(std::string(buf.substr(9, 3)).c_str());
    const std::string head = lower(buf.substr(0, headEnd));
    close = head.find("\nconnection: close") != std::string::npos;
    const std::size_t bodyStart = headEnd + 4;
    if (const auto cl = head.find("\ncontent-length:"); cl != std::string::npos) {
        const std::size_t len = std::strtoul(head.c_str() + cl + 16, nullptr, 10);
        return buf.size() >= bodyStart + len ? static_cast<long>(bodyStart + len) : 0;
    }
    if (head.find("transfer-encoding: chunked") == std::string::npos)
        return status == 204 || status == 304 ? static_cast<long>(bodyStart) : -1;
    std::size_t pos = bodyStart;
    for (;;) {  // size line, data, CRLF; a zero-size chunk ends (no trailers expected)
        const std::size_t eol = buf.find("\r\n", pos);
        if (eol == std::string_view::npos) return 0;
        const std::size_t size = std::strtoul(std::string(buf.substr(pos, eol - pos)).c_str(), nullptr, 16);
        pos = eol + 2 + size + 2;
        if (buf.size() < pos) return 0;
        if (size == 0) return static_cast<long>(pos);
    }
}

}  // namespace cpa::bench
