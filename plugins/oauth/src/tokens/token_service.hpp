#pragma once
// cpa.TokenSource/1 over the auth files (oauth-executors.md §2; issue 20):
// a usable access token per credential, refreshed at request time within the
// provider's lead time, one refresh at a time per credential (callers wait
// for the flight in progress and share its result), written back atomically
// through the store (which republishes the credential). A failed refresh
// backs off and is shown on /auth-files (refreshFailure()).
#include "file_credential_store.hpp"
#include "upstream_client.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/token_source.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace cpa::oauth {

/// The last failed refresh of a credential, while it lasts.
struct RefreshFailure {
    int status{};
    std::string message;
    std::int64_t retryAfterNs{};
};

class TokenService final : public sdk::TokenSource {
public:
    using NowFn = std::function<std::int64_t()>;
    TokenService(std::shared_ptr<FileCredentialStore> store, sdk::ConfigStore& config, sdk::Logger& logger,
                 NowFn now = {});

    sdk::TokenGrant token(std::string_view credentialId, std::chrono::milliseconds wait) override;
    sdk::TokenGrant refreshAfterRejection(std::string_view credentialId, std::string_view rejectedToken,
                                          std::chrono::milliseconds wait) override;
    /// /api-call's refresh of an Antigravity file (api-call.md §3.1): as
    /// token(), but a failed refresh's back-off does not hold it (the original
    /// refreshes on every such call). Still one flight per credential and the
    /// cross-instance guard, so it never races the data plane's refresh.
    sdk::TokenGrant tokenIgnoringBackoff(std::string_view credentialId, std::chrono::milliseconds wait);

    /// The background loop's refresh (oauth-executors.md §2.1): through the
    /// same flight lock as request-time refreshes, so a request that needs a
    /// token meanwhile waits for this one. Does nothing when the credential is
    /// gone, disabled, not due (oauth-executors.md §2.2), backing off, or already refreshing.
    /// `cancel` aborts the token endpoint call (module stop): nothing is recorded then.
    /// Under the cross-instance guard when one is set, as request-time refreshes.
    /// True when a refresh was attempted.
    bool refreshInBackground(std::string_view credentialId, CancelToken* cancel);
    /// When the background loop should next look at `rec` (wall-clock ns; <= now:
    /// due): oauth-executors.md §2.2 from its expiry, last refresh and lead, not before a failed
    /// refresh's retry time. nullopt: never (disabled, no refresher here, no refresh token).
    std::optional<std::int64_t> backgroundDueNs(const StoredCredential& rec) const;

    /// The failure /auth-files shows; nullopt after a success or a new file.
    std::optional<RefreshFailure> refreshFailure(std::string_view credentialId) const;
    /// Refreshes performed (successful or not) since start: for tests and metrics.
    std::int64_t refreshCount() const;

    /// Several instances on one database (docs/shared-store.md): runs `decide`
    /// (the re-check and, when still needed, the refresh) holding a lock
    /// across instances, after applying any newer copy of the file. Set once,
    /// before traffic; unset, the flight lock alone serialises refreshes.
    using CrossInstanceGuard = std::function<sdk::TokenGrant(const std::string& credentialId, std::chrono::milliseconds wait,
                                                             const std::function<sdk::TokenGrant()>& decide)>;
    void setCrossInstanceGuard(CrossInstanceGuard guard) { guard_ = std::move(guard); }

    /// How long a failed refresh blocks further attempts (oauth-executors.md §2.1: 5 min).
    static constexpr std::int64_t kBackoffNs = 300'000'000'000LL;

private:
    struct Slot;
    std::shared_ptr<Slot> slotFor(std::string_view id);
    sdk::TokenGrant obtain(std::string_view id, std::string_view rejected, std::chrono::milliseconds wait,
                           bool ignoreBackoff = false);
    sdk::TokenGrant refreshLocked(const StoredPtr& rec, Slot& slot, std::chrono::milliseconds wait,
                                  CancelToken* cancel = nullptr);

    std::shared_ptr<FileCredentialStore> store_;
    sdk::ConfigStore& config_;
    sdk::Logger& logger_;
    NowFn now_;
    mutable std::mutex slotsMutex_;
    std::map<std::string, std::shared_ptr<Slot>, std::less<>> slots_;
    std::atomic<std::int64_t> refreshes_{0};
    CrossInstanceGuard guard_;
};

}  // namespace cpa::oauth
