#include "tokens/refresh_policy.hpp"

#include "time_format.hpp"

#include <charconv>
#include <ctime>

namespace cpa::oauth {

namespace {

constexpr std::int64_t kSecond = 1'000'000'000LL;

std::optional<std::int64_t> unixToNs(std::int64_t v) {
    if (v <= 0) return std::nullopt;
    if (v > 1'000'000'000'000LL) return v * 1'000'000LL;  // milliseconds (§1.8)
    return v * kSecond;
}

/// "YYYY-MM-DD HH:MM[:SS]" as UTC.
std::optional<std::int64_t> parseSpaced(std::string_view s) {
    std::tm tm{};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    const std::string text(s);
    int n = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
        static_cast<std::size_t>(n) != text.size()) {
        sec = 0;
        n = 0;
        if (std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 ||
            static_cast<std::size_t>(n) != text.size())
            return std::nullopt;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return static_cast<std::int64_t>(timegm(&tm)) * kSecond;
}

}  // namespace

std::int64_t refreshLeadNs(std::string_view provider) {
    if (provider == "claude") return 4 * 3600 * kSecond;
    if (provider == "codex") return 5 * 24 * 3600 * kSecond;
    if (provider == "antigravity" || provider == "kimi") return 5 * 60 * kSecond;
    // The original has no lead for Gemini CLI (its library refreshes 10 s
    // before expiry, oauth-executors.md §2.5); 5 min leaves room for a long request.
    if (provider == "gemini-cli") return 5 * 60 * kSecond;
    return 0;
}

namespace {

std::string tokenMember(const sdk::Value& metadata, std::string_view key) {
    const sdk::Value* token = metadata.find("token");
    if (token && token->isObject())
        if (const sdk::Value* v = token->find(key); v && v->isString() && !v->asString().empty()) return v->asString();
    const sdk::Value* v = metadata.find(key);
    return v && v->isString() ? v->asString() : std::string();
}

}  // namespace

std::string storedAccessToken(const sdk::Value& metadata) { return tokenMember(metadata, "access_token"); }
std::string storedRefreshToken(const sdk::Value& metadata) { return tokenMember(metadata, "refresh_token"); }

std::optional<std::int64_t> parseTimeValueNs(const sdk::Value& v) {
    if (v.isInt()) return unixToNs(v.asInt());
    if (v.isDouble()) return unixToNs(static_cast<std::int64_t>(v.asDouble()));
    if (!v.isString()) return std::nullopt;
    const std::string& s = v.asString();
    if (s.empty()) return std::nullopt;
    if (auto t = parseRfc3339Ns(s)) return t;
    if (auto t = parseSpaced(s)) return t;
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && ptr == s.data() + s.size()) return unixToNs(n);
    return std::nullopt;
}

std::optional<std::int64_t> tokenExpiryNs(const sdk::Value& metadata) {
    static constexpr const char* kKeys[] = {"expired", "expire", "expires_at", "expiresAt", "expiry", "expires"};
    for (const char* k : kKeys)
        if (const sdk::Value* v = metadata.find(k))
            if (auto t = parseTimeValueNs(*v)) return t;
    for (const char* nested : {"token", "Token"}) {
        const sdk::Value* t = metadata.find(nested);
        if (!t || !t->isObject()) continue;
        for (const char* k : kKeys)
            if (const sdk::Value* v = t->find(k))
                if (auto parsed = parseTimeValueNs(*v)) return parsed;
    }
    return std::nullopt;
}

bool stillUsable(const std::optional<std::int64_t>& expiryNs, std::int64_t nowNs) {
    return !expiryNs || *expiryNs > nowNs + kMinRemainingNs;
}

TokenAction decideToken(const TokenState& s, std::int64_t nowNs) {
    const bool backingOff = s.backoffUntilNs > nowNs;
    if (s.accessToken.empty()) return backingOff ? TokenAction::Fail : TokenAction::Refresh;
    // Unknown expiry: the token is sent; an upstream 401 triggers the refresh.
    if (!s.expiryNs || s.leadNs <= 0 || *s.expiryNs - nowNs > s.leadNs) return TokenAction::UseStored;
    if (!backingOff) return TokenAction::Refresh;
    return stillUsable(s.expiryNs, nowNs) ? TokenAction::UseStoredStale : TokenAction::Fail;
}

}  // namespace cpa::oauth
