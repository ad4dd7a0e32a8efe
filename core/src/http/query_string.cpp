#include "http/query_string.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/url_encoding.hpp>

namespace cpa::core {

namespace {

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

std::vector<sdk::Header> parseQuery(std::string_view rawQuery) {
    std::vector<sdk::Header> out;
    forEachItem(rawQuery, [&out](std::string_view item, std::size_t) {
        if (item.empty()) return;
        const std::size_t eq = item.find('=');
        const std::string_view name = item.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
        auto n = sdk::percentDecode(name, true);
        auto v = sdk::percentDecode(value, true);
        out.emplace_back(n ? std::move(*n) : std::string(name), v ? std::move(*v) : std::string(value));
    });
    return out;
}

bool isSensitiveQueryName(std::string_view name) {
    auto decoded = sdk::percentDecode(name, true);
    std::string n = sdk::lowerAscii(decoded ? *decoded : std::string(name));
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
