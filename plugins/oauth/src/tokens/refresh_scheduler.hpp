#pragma once
// The background token refresh (oauth-executors.md §2.1–§2.4): credentials
// are refreshed ahead of their provider's lead time without any traffic.
// One thread keeps the schedule (recomputed from the store on every change
// and whenever a refresh ends; it sleeps until the earliest due time), a small
// pool of workers runs the refreshes through TokenService::refreshInBackground
// — the flight lock request-time refreshes use, so a request that needs the
// token meanwhile waits for the background refresh instead of starting its own.
#include "file_credential_store.hpp"
#include "tokens/token_service.hpp"
#include "upstream_client.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cpa::oauth {

class RefreshScheduler {
public:
    using NowFn = std::function<std::int64_t()>;
    /// `workers`: at most this many refreshes at once (`auth-auto-refresh-workers`, default 16).
    RefreshScheduler(std::shared_ptr<FileCredentialStore> store, std::shared_ptr<TokenService> tokens,
                     sdk::Logger& logger, std::size_t workers, NowFn now = {});
    ~RefreshScheduler();
    RefreshScheduler(const RefreshScheduler&) = delete;
    RefreshScheduler& operator=(const RefreshScheduler&) = delete;

    void start();
    /// Aborts the refreshes in flight (their token endpoint calls are cut, nothing is
    /// recorded or written) and joins every thread. Idempotent; start() may follow.
    void stop() noexcept;

    /// Background refreshes attempted since start (for tests).
    std::int64_t attempts() const;

    /// Minimum spacing of two background attempts on one credential (oauth-executors.md §2.1: a
    /// refresh that leaves the token still due is retried after 30 s).
    static constexpr std::int64_t kRetrySpacingNs = 30'000'000'000LL;
    /// The longest sleep between two looks at the schedule.
    static constexpr std::int64_t kMaxSleepNs = 15LL * 60 * 1'000'000'000LL;

private:
    void run();
    void work();
    void poke();

    std::shared_ptr<FileCredentialStore> store_;
    std::shared_ptr<TokenService> tokens_;
    sdk::Logger& logger_;
    std::size_t maxWorkers_;
    NowFn now_;

    mutable std::mutex m_;
    std::condition_variable wake_;  ///< the scheduler: a change, a finished refresh, stop
    std::condition_variable jobsReady_;  ///< the workers
    bool running_{};
    bool stopping_{};
    bool dirty_{};
    std::deque<std::string> jobs_;
    std::set<std::string, std::less<>> pending_;  ///< queued or being refreshed
    std::map<std::string, std::int64_t, std::less<>> notBefore_;
    std::size_t idle_{};
    std::int64_t attempts_{};
    std::vector<std::thread> workers_;
    std::thread thread_;
    std::unique_ptr<CancelToken> cancel_;
    sdk::Subscription storeSubscription_;
};

}  // namespace cpa::oauth
