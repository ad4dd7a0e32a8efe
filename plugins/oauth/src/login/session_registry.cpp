#include "login/session_registry.hpp"

#include "login/oauth_text.hpp"

#include <cpa/sdk/text.hpp>

namespace cpa::oauth::login {

SessionRegistry::SessionRegistry(Clock clock) : clock_(std::move(clock)) {
    if (!clock_) clock_ = [] { return std::chrono::steady_clock::now(); };
}

void SessionRegistry::purgeLocked() {
    const auto now = clock_();
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (now > it->second.expiresAt) {
            it = sessions_.erase(it);
        } else {
            ++it;
        }
    }
}

SessionRegistry::Session* SessionRegistry::findLocked(std::string_view state) {
    purgeLocked();
    auto it = sessions_.find(sdk::trimAscii(state));
    return it == sessions_.end() ? nullptr : &it->second;
}

void SessionRegistry::registerSession(std::string_view state, std::string_view provider, Duration ttl) {
    const std::string key = sdk::trimAscii(state);
    if (key.empty()) return;
    {
        std::lock_guard lock(mutex_);
        purgeLocked();
        Session s;
        s.provider = sdk::lowerAscii(sdk::trimAscii(provider));
        s.expiresAt = clock_() + ttl;
        sessions_[key] = std::move(s);
    }
    changed_.notify_all();
}

void SessionRegistry::setError(std::string_view state, std::string_view message, Duration ttl) {
    {
        std::lock_guard lock(mutex_);
        Session* s = findLocked(state);
        if (s == nullptr) return;
        std::string msg = sdk::trimAscii(message);
        s->status = SessionStatus::Error;
        s->error = msg.empty() ? "Authentication failed" : std::move(msg);
        s->payload.reset();
        s->expiresAt = clock_() + ttl;
    }
    changed_.notify_all();
}

void SessionRegistry::complete(std::string_view state, Duration ttl) {
    {
        std::lock_guard lock(mutex_);
        Session* s = findLocked(state);
        if (s == nullptr) return;
        s->status = SessionStatus::Completed;
        s->error.clear();
        s->payload.reset();
        s->expiresAt = clock_() + ttl;
    }
    changed_.notify_all();
}

void SessionRegistry::touch(std::string_view state, Duration ttl) {
    std::lock_guard lock(mutex_);
    Session* s = findLocked(state);
    if (s != nullptr && s->status == SessionStatus::Pending) s->expiresAt = clock_() + ttl;
}

std::optional<SessionView> SessionRegistry::get(std::string_view state) {
    std::lock_guard lock(mutex_);
    const Session* s = findLocked(state);
    if (s == nullptr) return std::nullopt;
    return SessionView{s->provider, s->status, s->error};
}

bool SessionRegistry::isPending(std::string_view state, std::string_view provider) {
    std::lock_guard lock(mutex_);
    const Session* s = findLocked(state);
    if (s == nullptr || s->status != SessionStatus::Pending || s->callbackReceived) return false;
    const std::string p = sdk::lowerAscii(sdk::trimAscii(provider));
    return p.empty() || p == s->provider;
}

DeliverResult SessionRegistry::deliver(std::string_view state, std::string_view provider, CallbackPayload payload) {
    {
        std::lock_guard lock(mutex_);
        Session* s = findLocked(state);
        if (s == nullptr) return DeliverResult::Unknown;
        if (s->status != SessionStatus::Pending || s->callbackReceived) return DeliverResult::NotPending;
        if (sdk::lowerAscii(sdk::trimAscii(provider)) != s->provider) return DeliverResult::ProviderMismatch;
        s->callbackReceived = true;
        s->payload = std::move(payload);
    }
    changed_.notify_all();
    return DeliverResult::Delivered;
}

WaitOutcome SessionRegistry::waitForCallback(std::string_view state, Duration timeout, CallbackPayload& out) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        if (cancelled_) return WaitOutcome::NotPending;
        Session* s = findLocked(state);
        if (s == nullptr || s->status != SessionStatus::Pending) return WaitOutcome::NotPending;
        if (s->payload) {
            out = std::move(*s->payload);
            s->payload.reset();
            return WaitOutcome::Callback;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return WaitOutcome::Timeout;
        // Bounded slices: expiry follows the injectable clock, which no
        // condition variable can wait on.
        changed_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(deadline - now,
                                                                               std::chrono::milliseconds(200)));
    }
}

void SessionRegistry::cancelAll() {
    {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
    }
    changed_.notify_all();
}

}  // namespace cpa::oauth::login
