#include "login/login_engine.hpp"

#include <cpa/sdk/errors.hpp>

namespace cpa::oauth::login {

LoginEngine::LoginEngine(cpa::sdk::ModuleContext& ctx, std::shared_ptr<cpa::sdk::CredentialStore> store,
                         SessionRegistry::Clock clock)
    : ctx_(ctx), store_(std::move(store)), sessions_(std::move(clock)) {}

LoginEngine::~LoginEngine() { stop(); }

LoginSettings LoginEngine::settings() const { return readLoginSettings(*ctx_.config().snapshot()); }

void LoginEngine::registerSession(const std::string& state, const std::string& provider) {
    sessions_.registerSession(state, provider, settings().sessionTtl);
}

void LoginEngine::fail(const std::string& state, const std::string& message) {
    sessions_.setError(state, message, settings().sessionTtl);
    ctx_.logger().warning("oauth login " + state + " failed: " + message);
}

void LoginEngine::succeed(const std::string& state) { sessions_.complete(state, settings().completedTtl); }

bool LoginEngine::save(const std::string& state, const Credential& credential, const std::string& failureMessage) {
    try {
        if (!store_) throw std::runtime_error("credential store unavailable");
        store_->saveBytes(credential.fileName, credential.bytes());
        ctx_.logger().info("oauth login saved credential " + credential.fileName);
        return true;
    } catch (const std::exception& e) {
        ctx_.logger().error("oauth login: saving " + credential.fileName + " failed: " + e.what());
    } catch (...) {
        ctx_.logger().error("oauth login: saving " + credential.fileName + " failed");
    }
    fail(state, failureMessage);
    return false;
}

FetchResult LoginEngine::fetch(FetchRequest request) const {
    const LoginSettings s = settings();
    request.timeout = s.httpTimeout;
    request.proxyUrl = s.proxyUrl;
    return login::fetch(request);
}

void LoginEngine::stop() noexcept {
    sessions_.cancelAll();
    tasks_.stopAll();
    forwarders_.stopAll();
}

std::optional<std::string> awaitCode(LoginEngine& engine, const std::string& state, Millis timeout,
                                     const CallbackRules& rules) {
    CallbackPayload payload;
    switch (engine.sessions().waitForCallback(state, timeout, payload)) {
        case WaitOutcome::NotPending:
            return std::nullopt;
        case WaitOutcome::Timeout:
            engine.fail(state, rules.timeout);
            return std::nullopt;
        case WaitOutcome::Callback:
            break;
    }
    if (!payload.error.empty()) {
        engine.log().warning("oauth login " + state + ": provider returned error: " + payload.error);
        engine.fail(state, rules.providerError);
        return std::nullopt;
    }
    if ((rules.stateMustMatch && payload.state != state) ||
        (rules.nonEmptyStateMustMatch && !payload.state.empty() && payload.state != state)) {
        engine.fail(state, rules.stateMismatch);
        return std::nullopt;
    }
    if (!rules.emptyCode.empty() && payload.code.empty()) {
        engine.fail(state, rules.emptyCode);
        return std::nullopt;
    }
    return payload.code;
}

}  // namespace cpa::oauth::login
