#pragma once
// The login sessions (oauth.md §2, D9): state → provider, pending / error /
// completed, expiry; plus the in-memory hand-off of a callback to the flow
// that waits for it (replaces the original's callback file, oauth.md §3.3).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace cpa::oauth::login {

struct CallbackPayload {
    std::string code;
    std::string state;
    std::string error;
};

enum class SessionStatus { Pending, Error, Completed };

struct SessionView {
    std::string provider;
    SessionStatus status{SessionStatus::Pending};
    std::string error;
};

enum class DeliverResult { Delivered, Unknown, NotPending, ProviderMismatch };

enum class WaitOutcome { Callback, Timeout, NotPending };

class SessionRegistry {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    using Duration = std::chrono::milliseconds;

    /// `clock` drives expiry (tests inject their own); null → steady_clock.
    explicit SessionRegistry(Clock clock = {});

    /// Registers (or overwrites) a pending session; provider is lower-cased.
    void registerSession(std::string_view state, std::string_view provider, Duration ttl);
    /// No-op for unknown states; blank message → "Authentication failed".
    /// The error is reported for `ttl` from now.
    void setError(std::string_view state, std::string_view message, Duration ttl);
    /// Marks the flow done: reported as ok for `ttl` (D9, later versions).
    void complete(std::string_view state, Duration ttl);
    /// Extends a pending session (long device flows, oauth.md §4.5 note).
    void touch(std::string_view state, Duration ttl);
    std::optional<SessionView> get(std::string_view state);
    /// Exists, pending, no callback taken yet, provider matches when given.
    bool isPending(std::string_view state, std::string_view provider = {});

    /// Hands a callback to the waiting flow; the first one wins.
    DeliverResult deliver(std::string_view state, std::string_view provider, CallbackPayload payload);
    /// Blocks until a callback arrives, `timeout` (real time) passes, the
    /// session stops being pending, or cancelAll() is called.
    WaitOutcome waitForCallback(std::string_view state, Duration timeout, CallbackPayload& out);
    /// Wakes every waiter for good (module stop).
    void cancelAll();

private:
    struct Session {
        std::string provider;
        SessionStatus status{SessionStatus::Pending};
        std::string error;
        std::chrono::steady_clock::time_point expiresAt;
        std::optional<CallbackPayload> payload;  ///< delivered, not yet taken
        bool callbackReceived{};
    };
    void purgeLocked();
    Session* findLocked(std::string_view state);

    Clock clock_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, Session, std::less<>> sessions_;
    bool cancelled_{};
};

}  // namespace cpa::oauth::login
