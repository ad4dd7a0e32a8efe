#include "http/query_string.hpp"

#include <algorithm>
#include <cctype>

namespace cpa::core {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

template <class Fn>
void forEachItem(std::string_view raw, Fn&& fn) {
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        const std::size_t amp = raw.find('&', pos);
        const std::size_t end = amp == std::string_view::npos ? raw.size() : amp;
        fn(raw.substr(pos, end - pos), pos);
        if (amp == std::string_view::npos) break;
        pos = amp + 1;
    }
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hexValue(text[i + 1]);
            const int lo = hexValue(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<sdk::Header> parseQuery(std::string_view rawQuery) {
    std::vector<sdk::Header> out;
    forEachItem(rawQuery, [&out](std::string_view item, std::size_t) {
        if (item.empty()) return;
        const std::size_t eq = item.find('=');
        const std::string_view name = item.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
        auto n = percentDecode(name, true);
        auto v = percentDecode(value, true);
        out.emplace_back(n ? std::move(*n) : std::string(name), v ? std::move(*v) : std::string(value));
    });
    return out;
}

bool isSensitiveQueryName(std::string_view name) {
    auto decoded = percentDecode(name, true);
    std::string n = lower(decoded ? *decoded : std::string(name));
    if (n.size() >= 2 && n.compare(n.size() - 2, 2, "[]") == 0) n.resize(n.size() - 2);
    if (n == "key" || n == "auth" || n == "password") return true;
    for (const char* part : {"api-key", "apikey", "api_key", "token", "secret", "password"}) {
        if (n.find(part) != std::string::npos) return true;
    }
    return false;
}

std::string maskQuery(std::string_view rawQuery) {
    std::string out;
    out.reserve(rawQuery.size());
    bool first = true;
    forEachItem(rawQuery, [&](std::string_view item, std::size_t) {
        if (!first) out.push_back('&');
        first = false;
        const std::size_t eq = item.find('=');
        if (eq != std::string_view::npos && isSensitiveQueryName(item.substr(0, eq))) {
            out.append(item.substr(0, eq + 1));
            out.append("***");
        } else {
            out.append(item);
        }
    });
    return out;
}

}  // namespace cpa::core
