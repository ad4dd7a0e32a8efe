#pragma once
// What every login flow shares: settings at the time of use, the session
// registry, forwarders, background tasks, outbound HTTP and the credential
// store. One instance per module; request threads and flow threads use it.
#include "login/callback_forwarder.hpp"
#include "login/http_fetch.hpp"
#include "login/login_settings.hpp"
#include "login/session_registry.hpp"
#include "login/task_runner.hpp"
#include "login/token_results.hpp"

#include <cpa/sdk/credentials.hpp>
#include <cpa/sdk/module.hpp>

#include <memory>
#include <optional>
#include <string>

namespace cpa::oauth::login {

class LoginEngine {
public:
    LoginEngine(cpa::sdk::ModuleContext& ctx, std::shared_ptr<cpa::sdk::CredentialStore> store,
                SessionRegistry::Clock clock = {});
    ~LoginEngine();
    LoginEngine(const LoginEngine&) = delete;
    LoginEngine& operator=(const LoginEngine&) = delete;

    LoginSettings settings() const;
    SessionRegistry& sessions() noexcept { return sessions_; }
    ForwarderSet& forwarders() noexcept { return forwarders_; }
    TaskRunner& tasks() noexcept { return tasks_; }
    cpa::sdk::Logger& log() noexcept { return ctx_.logger(); }

    void registerSession(const std::string& state, const std::string& provider);
    void fail(const std::string& state, const std::string& message);
    /// Marks only this flow's session done (oauth.md §6 recommendation).
    void succeed(const std::string& state);
    /// Saves through the credential store; on failure sets `failureMessage`
    /// as the session error and returns false.
    bool save(const std::string& state, const Credential& credential, const std::string& failureMessage);
    /// fetch() with the configured timeout and proxy.
    FetchResult fetch(FetchRequest request) const;

    void stop() noexcept;

private:
    cpa::sdk::ModuleContext& ctx_;
    std::shared_ptr<cpa::sdk::CredentialStore> store_;
    SessionRegistry sessions_;
    ForwarderSet forwarders_;
    TaskRunner tasks_;
};

/// How a flow reacts to the callback it receives (per provider, oauth.md §4).
struct CallbackRules {
    std::string providerError;      ///< session error when the callback carries `error`
    bool stateMustMatch{};          ///< any difference (anthropic, codex)
    bool nonEmptyStateMustMatch{};  ///< only a non-empty difference (antigravity)
    std::string stateMismatch;
    std::string emptyCode;          ///< "" → an empty code is not rejected
    std::string timeout;
};

/// Waits for the callback of `state`; returns the code, or nullopt after
/// having set the session error (or when the session stopped being pending).
std::optional<std::string> awaitCode(LoginEngine& engine, const std::string& state, Millis timeout,
                                     const CallbackRules& rules);

}  // namespace cpa::oauth::login
