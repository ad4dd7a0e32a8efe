#include "http/request_head.hpp"

#include <charconv>

namespace cpa::core {

namespace {

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool isTchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
        case '-': case '.': case '^': case '_': case '`': case '|': case '~':
            return true;
        default:
            return false;
    }
}

bool isSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

// Next line without its end (CRLF or LF); `rest` moves past it.
std::string_view nextLine(std::string_view& rest) {
    const auto lf = rest.find('\n');
    std::string_view line = rest.substr(0, lf);
    rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// Calls `f` with each comma-separated token of a header value, trimmed.
template <class F>
void forEachToken(std::string_view value, F f) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        const std::string_view token = trim(value.substr(0, comma));
        if (!token.empty()) f(token);
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
}

bool controlFree(std::string_view s) {
    for (const char c : s)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return false;
    return true;
}

bool parseRequestLine(std::string_view line, RequestHead& out) {
    const auto sp1 = line.find(' ');
    if (sp1 == std::string_view::npos || sp1 == 0) return false;
    const auto sp2 = line.rfind(' ');
    if (sp2 == sp1) return false;
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = trim(line.substr(sp1 + 1, sp2 - sp1 - 1));
    const std::string_view version = line.substr(sp2 + 1);
    for (const char c : method)
        if (!isTchar(c)) return false;
    if (target.empty() || target.find(' ') != std::string_view::npos || !controlFree(target)) return false;
    if (version == "HTTP/1.1") {
        out.http10 = false;
    } else if (version == "HTTP/1.0") {
        out.http10 = true;
    } else {
        return false;
    }
    out.method.assign(method);
    out.target.assign(target);
    return true;
}

}  // namespace

bool headerNameEquals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
    return true;
}

const std::string* RequestHead::find(std::string_view name) const noexcept {
    for (const auto& [k, v] : headers)
        if (headerNameEquals(k, name)) return &v;
    return nullptr;
}

HeadError parseRequestHead(std::string_view head, RequestHead& out) {
    std::string_view rest = head;
    // A client may send empty lines before the request line (RFC 9112 §2.2).
    std::string_view line;
    do {
        if (rest.empty()) return HeadError::Malformed;
        line = nextLine(rest);
    } while (line.empty());
    if (!parseRequestLine(line, out)) return HeadError::Malformed;

    out.headers.clear();
    out.headers.reserve(12);
    while (!rest.empty()) {
        line = nextLine(rest);
        if (line.empty()) break;
        if (isSpace(line.front())) {
            // Obsolete line folding: part of the previous value.
            if (out.headers.empty()) return HeadError::Malformed;
            const std::string_view more = trim(line);
            if (!controlFree(more)) return HeadError::Malformed;
            std::string& value = out.headers.back().second;
            if (!more.empty()) {
                if (!value.empty()) value += ' ';
                value += more;
            }
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return HeadError::Malformed;
        const std::string_view name = line.substr(0, colon);
        for (const char c : name)
            if (!isTchar(c)) return HeadError::Malformed;
        const std::string_view value = trim(line.substr(colon + 1));
        if (!controlFree(value)) return HeadError::Malformed;
        out.headers.emplace_back(std::string(name), std::string(value));
    }

    out.contentLength.reset();
    out.chunked = false;
    out.expectContinue = false;
    bool closeToken = false;
    bool keepAliveToken = false;
    bool transferEncoding = false;
    bool host = false;
    for (const auto& [name, value] : out.headers) {
        if (headerNameEquals(name, "Content-Length")) {
            std::uint64_t n = 0;
            const std::string_view v = value;
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (v.empty() || ec != std::errc() || end != v.data() + v.size()) return HeadError::Malformed;
            // Two different lengths leave the body's end ambiguous.
            if (out.contentLength && *out.contentLength != n) return HeadError::Malformed;
            out.contentLength = n;
        } else if (headerNameEquals(name, "Transfer-Encoding")) {
            transferEncoding = true;
            std::string_view last;
            forEachToken(value, [&last](std::string_view t) { last = t; });
            if (!headerNameEquals(last, "chunked")) return HeadError::UnsupportedCoding;
            out.chunked = true;
        } else if (headerNameEquals(name, "Connection")) {
            forEachToken(value, [&](std::string_view t) {
                if (headerNameEquals(t, "close")) closeToken = true;
                if (headerNameEquals(t, "keep-alive")) keepAliveToken = true;
            });
        } else if (headerNameEquals(name, "Expect")) {
            if (headerNameEquals(value, "100-continue")) out.expectContinue = true;
        } else if (headerNameEquals(name, "Host")) {
            host = true;
        }
    }
    // A request with both is a smuggling vector (RFC 9112 §6.3): refuse it.
    if (transferEncoding && out.contentLength) return HeadError::Malformed;
    if (transferEncoding && out.http10) return HeadError::Malformed;
    // Go's net/http (the original) refuses it the same way; CONNECT names its
    // authority in the request line.
    if (!host && !out.http10 && out.method != "CONNECT") return HeadError::MissingHost;
    out.keepAlive = !closeToken && (!out.http10 || keepAliveToken);
    return HeadError::None;
}

}  // namespace cpa::core
