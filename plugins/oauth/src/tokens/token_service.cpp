#include "tokens/token_service.hpp"

#include "login/login_settings.hpp"
#include "time_values.hpp"
#include "tokens/refresh_call.hpp"
#include "tokens/refresh_policy.hpp"

namespace cpa::oauth {

namespace {

sdk::TokenGrant failed(int status, std::string message, std::int64_t retryAfterNs = 0) {
    sdk::TokenGrant g;
    g.status = status;
    g.message = std::move(message);
    g.retryAfterUnixMs = retryAfterNs / 1'000'000;
    return g;
}

sdk::TokenGrant granted(const sdk::Value& metadata) {
    sdk::TokenGrant g;
    g.ok = true;
    g.accessToken = storedAccessToken(metadata);
    g.accountId = metaString(metadata, "account_id");
    if (auto e = tokenExpiryNs(metadata)) g.expiresAtUnixMs = *e / 1'000'000;
    return g;
}

}  // namespace

/// Per credential: the flight lock (held during a refresh; waiters queue on
/// it with their own deadline) and the failure that backs further refreshes off.
struct TokenService::Slot {
    std::timed_mutex flight;
    mutable std::mutex m;  // guards the members below
    std::optional<RefreshFailure> failure;
    std::string failedRefreshToken;  ///< the backoff applies only while the file still holds it
};

TokenService::TokenService(std::shared_ptr<FileCredentialStore> store, sdk::ConfigStore& config, sdk::Logger& logger,
                           NowFn now)
    : store_(std::move(store)), config_(config), logger_(logger), now_(now ? std::move(now) : NowFn(nowNs)) {}

std::shared_ptr<TokenService::Slot> TokenService::slotFor(std::string_view id) {
    std::lock_guard lock(slotsMutex_);
    auto it = slots_.find(id);
    if (it == slots_.end()) it = slots_.emplace(std::string(id), std::make_shared<Slot>()).first;
    return it->second;
}

std::optional<RefreshFailure> TokenService::refreshFailure(std::string_view id) const {
    std::shared_ptr<Slot> slot;
    {
        std::lock_guard lock(slotsMutex_);
        const auto it = slots_.find(id);
        if (it == slots_.end()) return std::nullopt;
        slot = it->second;
    }
    const StoredPtr rec = store_->record(id);
    std::lock_guard lock(slot->m);
    if (!rec || !slot->failure || storedRefreshToken(rec->metadata) != slot->failedRefreshToken)
        return std::nullopt;
    return slot->failure;
}

std::int64_t TokenService::refreshCount() const { return refreshes_.load(); }

sdk::TokenGrant TokenService::token(std::string_view id, std::chrono::milliseconds wait) { return obtain(id, {}, wait); }

sdk::TokenGrant TokenService::tokenIgnoringBackoff(std::string_view id, std::chrono::milliseconds wait) {
    return obtain(id, {}, wait, true);
}

sdk::TokenGrant TokenService::refreshAfterRejection(std::string_view id, std::string_view rejected,
                                                    std::chrono::milliseconds wait) {
    return obtain(id, rejected.empty() ? std::string_view("\n") : rejected, wait);
}

// `rejected` non-empty: the upstream refused that token; a different stored
// token is used as is, the same one is refreshed regardless of its expiry.
sdk::TokenGrant TokenService::obtain(std::string_view id, std::string_view rejected, std::chrono::milliseconds wait,
                                     bool ignoreBackoff) {
    const auto decide = [&](const StoredPtr& rec, Slot& slot) {
        TokenState s;
        s.accessToken = storedAccessToken(rec->metadata);
        s.expiryNs = tokenExpiryNs(rec->metadata);
        s.leadNs = refreshLeadNs(rec->provider);
        if (!ignoreBackoff) {
            std::lock_guard lock(slot.m);
            if (slot.failure && slot.failedRefreshToken == storedRefreshToken(rec->metadata))
                s.backoffUntilNs = slot.failure->retryAfterNs;
        }
        if (!rejected.empty() && s.accessToken == rejected) {
            s.expiryNs = now_();  // treat as expired: refresh unless backing off
            s.leadNs = 1;
        }
        return decideToken(s, now_());
    };
    const auto backoffError = [&](Slot& slot) {
        std::lock_guard lock(slot.m);
        return slot.failure ? failed(slot.failure->status, slot.failure->message, slot.failure->retryAfterNs)
                            : failed(503, "token refresh of " + std::string(id) + " is backing off");
    };
    StoredPtr rec = store_->record(id);
    if (!rec || rec->disabled || !refreshableProvider(rec->provider))
        return failed(404, "auth file " + std::string(id) + " is not an enabled OAuth credential with a refresher");
    const std::shared_ptr<Slot> slot = slotFor(id);
    TokenAction action = decide(rec, *slot);
    if (action == TokenAction::UseStored || action == TokenAction::UseStoredStale) return granted(rec->metadata);
    if (action == TokenAction::Fail) return backoffError(*slot);
    // One refresh at a time: a waiter finds the fresh token once the flight lands.
    std::unique_lock flight(slot->flight, std::defer_lock);
    if (!flight.try_lock_for(wait))
        return failed(503, "timed out waiting for the token refresh of auth file " + std::string(id));
    const auto underFlight = [&]() -> sdk::TokenGrant {
        rec = store_->record(id);
        if (!rec || rec->disabled) return failed(404, "auth file " + std::string(id) + " was removed or disabled");
        action = decide(rec, *slot);
        if (action == TokenAction::UseStored || action == TokenAction::UseStoredStale) return granted(rec->metadata);
        if (action == TokenAction::Fail) return backoffError(*slot);
        return refreshLocked(rec, *slot, wait);
    };
    return guard_ ? guard_(std::string(id), wait, underFlight) : underFlight();
}

std::optional<std::int64_t> TokenService::backgroundDueNs(const StoredCredential& rec) const {
    if (rec.disabled || !refreshableProvider(rec.provider) || storedRefreshToken(rec.metadata).empty())
        return std::nullopt;
    RefreshSchedule s;
    s.expiryNs = tokenExpiryNs(rec.metadata);
    s.lastRefreshNs = lastRefreshNs(rec.metadata);
    s.leadNs = refreshLeadNs(rec.provider);
    s.preferredIntervalNs = preferredIntervalNs(rec.metadata);
    std::optional<std::int64_t> due = nextRefreshDueNs(s, now_());
    if (due)
        if (auto f = refreshFailure(rec.id)) due = std::max(*due, f->retryAfterNs);
    return due;
}

bool TokenService::refreshInBackground(std::string_view id, CancelToken* cancel) {
    StoredPtr rec = store_->record(id);
    if (!rec || !backgroundDueNs(*rec) || *backgroundDueNs(*rec) > now_()) return false;
    const std::shared_ptr<Slot> slot = slotFor(id);
    // Someone is refreshing it now: that flight's result serves (oauth-executors.md §2.1 in-flight gate).
    std::unique_lock flight(slot->flight, std::try_to_lock);
    if (!flight.owns_lock()) return false;
    const login::LoginSettings settings = login::readLoginSettings(*config_.snapshot());
    bool refreshed = false;
    const auto underFlight = [&]() -> sdk::TokenGrant {
        // Re-read under the lock(s): a flight may have just landed here or on
        // another instance (the guard applies its newer copy first), or the
        // file been disabled.
        rec = store_->record(id);
        if (!rec) return failed(404, "auth file " + std::string(id) + " was removed");
        const std::optional<std::int64_t> due = backgroundDueNs(*rec);
        if (!due || *due > now_()) return granted(rec->metadata);
        refreshed = true;
        return refreshLocked(rec, *slot, settings.refreshTimeout, cancel);
    };
    // Several instances: the same cross-instance guard as request-time refreshes.
    if (guard_) guard_(std::string(id), settings.refreshTimeout, underFlight);
    else underFlight();
    return refreshed;
}

sdk::TokenGrant TokenService::refreshLocked(const StoredPtr& rec, Slot& slot, std::chrono::milliseconds wait,
                                            CancelToken* cancel) {
    const sdk::SnapshotPtr snap = config_.snapshot();
    const login::LoginSettings settings = login::readLoginSettings(*snap);
    const std::optional<ProxySpec> proxy =
        chooseProxy({metaString(rec->metadata, "proxy_url"), snap->getString("proxy-url", "")});
    refreshes_.fetch_add(1);
    // Bounded by oauth-login.refresh-timeout-ms and by what the caller can wait.
    RefreshOutcome out =
        refreshTokens(rec->provider, rec->metadata, settings, proxy, std::min(wait, settings.refreshTimeout), cancel);
    const std::int64_t now = now_();
    if (!out.ok && cancel && cancel->cancelled()) return failed(503, "auth file " + rec->id + ": token refresh cancelled");
    if (!out.ok) {
        logger_.warning("oauth: token refresh of " + rec->id + " failed: " + out.message);
        RefreshFailure f{out.status, "auth file " + rec->id + ": " + out.message, now + kBackoffNs};
        {
            std::lock_guard lock(slot.m);
            slot.failure = f;
            slot.failedRefreshToken = storedRefreshToken(rec->metadata);
        }
        // A token that is still valid keeps serving until it expires (oauth-executors.md §2.6).
        const std::string access = storedAccessToken(rec->metadata);
        if (!access.empty() && stillUsable(tokenExpiryNs(rec->metadata), now) &&
            tokenExpiryNs(rec->metadata).has_value())
            return granted(rec->metadata);
        return failed(f.status, f.message, f.retryAfterNs);
    }
    {
        std::lock_guard lock(slot.m);
        slot.failure.reset();
        slot.failedRefreshToken.clear();
    }
    try {
        store_->rewrite(rec->fileName, out.metadata, "");
        logger_.info("oauth: refreshed the token of " + rec->id);
    } catch (const std::exception& e) {
        // The new token still serves this call; the file keeps the old one.
        logger_.error("oauth: refreshed token of " + rec->id + " not written: " + e.what());
    }
    return granted(out.metadata);
}

}  // namespace cpa::oauth
