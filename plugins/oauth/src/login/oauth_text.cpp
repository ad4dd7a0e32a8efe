#include "login/oauth_text.hpp"

#include <algorithm>
#include <cctype>

namespace cpa::oauth::login {

std::string trim(std::string_view s) {
    auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool isValidState(std::string_view raw) {
    const std::string state = trim(raw);
    if (state.empty() || state.size() > 128) return false;
    if (state.find("..") != std::string::npos) return false;
    return std::all_of(state.begin(), state.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
    });
}

std::string normalizeCallbackProvider(std::string_view provider) {
    const std::string p = lower(trim(provider));
    if (p == "anthropic" || p == "claude") return "anthropic";
    if (p == "codex" || p == "openai") return "codex";
    if (p == "gemini" || p == "google") return "gemini";
    if (p == "antigravity" || p == "anti-gravity") return "antigravity";
    return {};
}

bool isTruthyFlag(std::string_view raw) {
    const std::string v = lower(trim(raw));
    return v == "1" || v == "true" || v == "yes" || v == "on";
}

std::string queryEscape(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(ch);
        } else if (c == ' ') {
            out.push_back('+');
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0F]);
        }
    }
    return out;
}

std::string formEncode(QueryPairs pairs) {
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    for (const auto& [k, v] : pairs) {
        if (!out.empty()) out.push_back('&');
        out += queryEscape(k);
        out.push_back('=');
        out += queryEscape(v);
    }
    return out;
}

namespace {
int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out.push_back(' ');
        } else if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 &&
                   hexValue(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}
}  // namespace

QueryPairs parseQuery(std::string_view query) {
    QueryPairs out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        if (eq == std::string_view::npos) {
            out.emplace_back(unescape(part), std::string{});
        } else {
            out.emplace_back(unescape(part.substr(0, eq)), unescape(part.substr(eq + 1)));
        }
    }
    return out;
}

std::string firstValue(const QueryPairs& pairs, std::string_view key) {
    for (const auto& [k, v] : pairs) {
        if (k == key) return v;
    }
    return {};
}

}  // namespace cpa::oauth::login
