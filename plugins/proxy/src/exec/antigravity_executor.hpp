#pragma once
// Antigravity credentials (wire oauth:antigravity) in front of the HTTP
// executor: one routing attempt is the original's attempt loop
// (oauth-executors.md §3.4.4) — `request-retry` + 1 rounds, each trying the
// base URLs in turn; a network error or a 429 moves to the next URL, a soft
// 429 or "no capacity" pauses and starts the next round, an instant 429
// waits its delay; a short 429 delay rests the credential for that model
// (oauth-executors.md §4.2, in memory) and the attempt fails so routing tries the next one.
// Other credentials pass straight through. Sits below OAuthExecutor, so a
// 401 from any URL reaches the token refresh there.
#include "exec/executor.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cpa::proxy {

class AntigravityExecutor final : public Executor {
public:
    using Sleep = std::function<void(std::chrono::milliseconds, ClientSink&)>;
    /// `sleep` waits between rounds (default: in slices, until the client hangs up).
    explicit AntigravityExecutor(std::unique_ptr<Executor> inner, Sleep sleep = {});
    ExecResult execute(const ExecRequest& request, ClientSink& sink) override;

private:
    ExecResult attempts(const ExecRequest& request, ClientSink& sink);
    /// The time left of a short cooldown of (credential, model), or zero.
    std::chrono::milliseconds shortCooldownLeft(const std::string& key);
    void restShortly(const std::string& key, std::chrono::milliseconds duration);

    std::unique_ptr<Executor> inner_;
    Sleep sleep_;
    std::mutex mutex_;
    std::map<std::string, std::chrono::steady_clock::time_point> shortCooldowns_;
};

}  // namespace cpa::proxy
