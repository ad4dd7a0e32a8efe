#include "login/oauth_text.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/url_encoding.hpp>

#include <algorithm>
#include <cctype>

namespace cpa::oauth::login {

bool isValidState(std::string_view raw) {
    const std::string state = sdk::trimAscii(raw);
    if (state.empty() || state.size() > 128) return false;
    if (state.find("..") != std::string::npos) return false;
    return std::all_of(state.begin(), state.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
    });
}

std::string normalizeCallbackProvider(std::string_view provider) {
    const std::string p = sdk::lowerAscii(sdk::trimAscii(provider));
    if (p == "anthropic" || p == "claude") return "anthropic";
    if (p == "codex" || p == "openai") return "codex";
    if (p == "gemini" || p == "google") return "gemini";
    if (p == "antigravity" || p == "anti-gravity") return "antigravity";
    return {};
}

bool isTruthyFlag(std::string_view raw) {
    const std::string v = sdk::lowerAscii(sdk::trimAscii(raw));
    return v == "1" || v == "true" || v == "yes" || v == "on";
}

std::string formEncode(QueryPairs pairs) {
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    for (const auto& [k, v] : pairs) {
        if (!out.empty()) out.push_back('&');
        out += sdk::queryEscape(k);
        out.push_back('=');
        out += sdk::queryEscape(v);
    }
    return out;
}

QueryPairs parseQuery(std::string_view query) {
    QueryPairs out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        if (eq == std::string_view::npos) {
            out.emplace_back(sdk::percentDecodeLenient(part, true), std::string{});
        } else {
            out.emplace_back(sdk::percentDecodeLenient(part.substr(0, eq), true), sdk::percentDecodeLenient(part.substr(eq + 1), true));
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
