#include <cpa/sdk/hex.hpp>
#include <cpa/sdk/url_encoding.hpp>

namespace cpa::sdk {

namespace {

bool unreserved(unsigned char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

template <class Keep>
std::string escape(std::string_view text, char space, Keep keep) {
    std::string out;
    out.reserve(text.size() * 3);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (keep(c)) {
            out.push_back(ch);
        } else if (c == ' ' && space != '%') {
            out.push_back(space);
        } else {
            out.push_back('%');
            appendHexByte(out, c, kHexUpper);
        }
    }
    return out;
}

// The byte of "%XX" at text[i] (text[i] == '%'), or -1.
int escapedByte(std::string_view text, std::size_t i) noexcept {
    if (i + 2 >= text.size()) return -1;
    const int hi = hexDigitValue(text[i + 1]);
    const int lo = hexDigitValue(text[i + 2]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

// Strict: nullopt at a malformed escape; lenient: it stays as written.
template <bool Strict>
std::optional<std::string> decode(std::string_view text, bool plusIsSpace) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const int byte = c == '%' ? escapedByte(text, i) : -1;
        if (byte >= 0) {
            out.push_back(static_cast<char>(byte));
            i += 2;
        } else if (Strict && c == '%') {
            return std::nullopt;
        } else {
            out.push_back(c == '+' && plusIsSpace ? ' ' : c);
        }
    }
    return out;
}

}  // namespace

std::string percentEncode(std::string_view text) { return escape(text, '%', unreserved); }

std::string queryEscape(std::string_view text) { return escape(text, '+', unreserved); }

std::string escapeRequestTarget(std::string_view text) {
    return escape(text, '%', [](unsigned char c) { return c > 0x20 && c < 0x7F; });
}

std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace) {
    return decode<true>(text, plusIsSpace);
}

std::string percentDecodeLenient(std::string_view text, bool plusIsSpace) {
    return *decode<false>(text, plusIsSpace);
}

}  // namespace cpa::sdk
