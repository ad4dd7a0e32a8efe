#pragma once
// An HTTP/1.x request head parsed from bytes (RFC 9112 §2–§6), with the
// facts the server needs decided once: body framing, keep-alive, Expect.
#include <cpa/sdk/http.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::core {

struct RequestHead {
    std::string method;  ///< as received ("GET", "PROPFIND"…)
    std::string target;  ///< the request target as received
    bool http10 = false;  ///< HTTP/1.0 (otherwise 1.1)
    std::vector<sdk::Header> headers;  ///< in order, names as sent, values trimmed
    std::optional<std::uint64_t> contentLength;
    bool chunked = false;         ///< Transfer-Encoding ends with "chunked"
    bool keepAlive = true;        ///< what the client asked for
    bool expectContinue = false;  ///< "Expect: 100-continue"

    /// The first value of `name` (case-insensitive), or nullptr.
    const std::string* find(std::string_view name) const noexcept;
};

enum class HeadError {
    None,
    Malformed,         ///< 400: not an HTTP/1.x request head
    UnsupportedCoding, ///< 501: a transfer coding other than chunked
    MissingHost,       ///< 400: an HTTP/1.1 request without a Host header (RFC 9112 §3.2)
};

/// Parses `head` (request line and header lines, without the blank line that
/// ends them; CRLF or bare LF line ends) into `out`.
HeadError parseRequestHead(std::string_view head, RequestHead& out);

/// Case-insensitive ASCII comparison of header names.
bool headerNameEquals(std::string_view a, std::string_view b) noexcept;

}  // namespace cpa::core
