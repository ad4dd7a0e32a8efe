#include "api_call_token.hpp"

#include "auth_file_entry.hpp"
#include "time_values.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/time_format.hpp>

#include <cpa/sdk/credential_identity.hpp>

namespace cpa::oauth {

namespace {

std::string tokenFromMetadata(const sdk::Value& m) {
    for (const char* k : {"accessToken", "access_token"}) {
        if (std::string v = metaString(m, k); !v.empty()) return v;
    }
    if (const sdk::Value* t = m.find("token")) {
        if (t->isString()) {
            if (std::string v = sdk::trimAscii(t->asString()); !v.empty()) return v;
        } else if (t->isObject()) {
            for (const char* k : {"access_token", "accessToken"}) {
                if (std::string v = metaString(*t, k); !v.empty()) return v;
            }
        }
    }
    for (const char* k : {"id_token", "cookie"}) {
        if (std::string v = metaString(m, k); !v.empty()) return v;
    }
    return "";
}

// An OAuth token usable without a refresh: present and not expiring within
// `margin` (an absent or unparsable expiry counts as expired only when
// `expiryRequired`).
bool fresh(const std::string& token, std::optional<std::int64_t> expiryNs, std::int64_t nowNs, std::int64_t marginNs,
           bool expiryRequired) {
    if (token.empty()) return false;
    if (!expiryNs) return !expiryRequired;
    return *expiryNs > nowNs + marginNs;
}

}  // namespace

std::optional<CallCredential> findCallCredential(const FileCredentialStore& store, const sdk::CredentialSet& contributed,
                                                 const std::string& authIndex) {
    if (authIndex.empty()) return std::nullopt;
    for (const StoredPtr& rec : store.records()) {
        bool match = rec->authIndex == authIndex;
        if (!match) {
            for (const std::string& p : virtualProjects(*rec)) {
                if (sdk::fileAuthIndex(rec->fileName + "#" + p) == authIndex) match = true;
            }
        }
        if (!match) continue;
        CallCredential c;
        c.provider = rec->provider;
        c.metadata = rec->metadata;
        c.ownProxy = metaString(rec->metadata, "proxy_url");
        c.fromFile = true;
        c.fileName = rec->fileName;
        return c;
    }
    for (const sdk::ContributedCredential& cc : contributed) {
        if (cc.authIndex != authIndex) continue;
        CallCredential c;
        c.provider = cc.provider;
        c.apiKey = cc.apiKey;
        c.ownProxy = cc.proxyUrl;
        return c;
    }
    return std::nullopt;
}

TokenResult resolveToken(const CallCredential& cred, std::int64_t nowNs) {
    const sdk::Value& m = cred.metadata;
    if (cred.fromFile && cred.provider == "gemini-cli") {
        const sdk::Value* tok = m.find("token");
        std::string access = tok && tok->isObject() ? metaString(*tok, "access_token") : "";
        std::string expiry = tok && tok->isObject() ? metaString(*tok, "expiry") : "";
        if (access.empty()) access = metaString(m, "access_token");
        if (expiry.empty()) expiry = metaString(m, "expiry");
        if (fresh(access, sdk::parseRfc3339LenientNanos(expiry), nowNs, 10'000'000'000LL, false)) return {access, false};
        return {"", true};
    }
    if (cred.fromFile && cred.provider == "antigravity") {
        const std::string access = metaString(m, "access_token");
        std::optional<std::int64_t> expiry = sdk::parseRfc3339LenientNanos(metaString(m, "expired"));
        if (!expiry) {
            const sdk::Value* ts = m.find("timestamp");
            const sdk::Value* in = m.find("expires_in");
            if (ts && ts->isNumber() && in && in->isNumber())
                expiry = static_cast<std::int64_t>(ts->asDouble()) * 1000000LL +
                         static_cast<std::int64_t>(in->asDouble()) * 1000000000LL;
        }
        if (fresh(access, expiry, nowNs, 30'000'000'000LL, true)) return {access, false};
        return {"", true};
    }
    if (std::string t = tokenFromMetadata(m); !t.empty()) return {t, false};
    return {sdk::trimAscii(cred.apiKey), false};
}

}  // namespace cpa::oauth
