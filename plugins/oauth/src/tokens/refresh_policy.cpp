#include "tokens/refresh_policy.hpp"

#include "time_values.hpp"

#include <cpa/sdk/time_format.hpp>

#include <algorithm>

#include <charconv>
#include <ctime>
#include <limits>

namespace cpa::oauth {

namespace {

constexpr std::int64_t kSecond = 1'000'000'000LL;

// Saturating: a time past 2262 (the end of int64 nanoseconds) is the far
// future, never a wrapped negative (expired) value.
std::optional<std::int64_t> unixToNs(std::int64_t v) {
    if (v <= 0) return std::nullopt;
    if (v > 1'000'000'000'000LL) return saturatingMul(v, 1'000'000LL);  // milliseconds (oauth-executors.md §1.8)
    return sdk::saturatingNanos(v);
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
    return sdk::saturatingNanos(static_cast<std::int64_t>(timegm(&tm)));
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
    if (v.isDouble()) {
        const double d = v.asDouble();
        if (!(d > 0)) return std::nullopt;  // also NaN
        return unixToNs(d >= 9.0e18 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(d));
    }
    if (!v.isString()) return std::nullopt;
    const std::string& s = v.asString();
    if (s.empty()) return std::nullopt;
    if (auto t = sdk::parseRfc3339LenientNanos(s)) return t;
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
    // Antigravity's own pair (oauth-executors.md §1.3): `timestamp` (ms) + `expires_in` (s).
    const sdk::Value* ts = metadata.find("timestamp");
    const sdk::Value* in = metadata.find("expires_in");
    if (!ts || !in || !ts->isInt() || !in->isInt() || ts->asInt() <= 0 || in->asInt() < 0) return std::nullopt;
    const std::int64_t issued = saturatingMul(ts->asInt(), 1'000'000LL);
    const std::int64_t life = sdk::saturatingNanos(in->asInt());
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    return issued > kMax - life ? kMax : issued + life;
}

std::optional<std::int64_t> lastRefreshNs(const sdk::Value& metadata) {
    for (const char* k : {"last_refresh", "lastRefresh", "last_refreshed_at", "lastRefreshedAt"})
        if (const sdk::Value* v = metadata.find(k))
            if (auto t = parseTimeValueNs(*v)) return t;
    return std::nullopt;
}

std::int64_t preferredIntervalNs(const sdk::Value& metadata) {
    for (const char* k : {"refresh_interval_seconds", "refreshIntervalSeconds", "refresh_interval", "refreshInterval"}) {
        const sdk::Value* v = metadata.find(k);
        if (!v) continue;
        std::int64_t secs = 0;
        if (v->isInt()) secs = v->asInt();
        else if (v->isDouble() && v->asDouble() >= 1 && v->asDouble() < 9.0e9) secs = static_cast<std::int64_t>(v->asDouble());
        else if (v->isString()) {
            const std::string& t = v->asString();
            auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), secs);
            if (ec != std::errc() || ptr != t.data() + t.size()) secs = 0;
        }
        if (secs > 0) return sdk::saturatingNanos(secs);
    }
    return 0;
}

std::optional<std::int64_t> nextRefreshDueNs(const RefreshSchedule& s, std::int64_t nowNs) {
    const auto atLeastNow = [nowNs](std::int64_t t) { return t > nowNs ? t : nowNs; };
    const auto minus = [](std::int64_t t, std::int64_t d) {
        return t < std::numeric_limits<std::int64_t>::min() + d ? std::numeric_limits<std::int64_t>::min() : t - d;
    };
    const auto plus = [](std::int64_t t, std::int64_t d) {
        return t > std::numeric_limits<std::int64_t>::max() - d ? std::numeric_limits<std::int64_t>::max() : t + d;
    };
    if (const std::int64_t p = s.preferredIntervalNs; p > 0) {
        if (!s.lastRefreshNs) return nowNs;
        std::int64_t next = plus(*s.lastRefreshNs, p);
        if (s.expiryNs) next = std::min(next, minus(*s.expiryNs, p));
        return atLeastNow(next);
    }
    if (s.leadNs <= 0) return std::nullopt;
    if (s.expiryNs) return atLeastNow(minus(*s.expiryNs, s.leadNs));
    if (s.lastRefreshNs) return atLeastNow(plus(*s.lastRefreshNs, s.leadNs));
    return nowNs;
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
