// registerLoginFlows: the {provider}-auth-url routes (oauth.md §1, §4) and
// the wiring of sessions, callbacks and background tasks.
#include "login/login_flows.hpp"

#include "login/callback_routes.hpp"
#include "login/login_engine.hpp"
#include "login/oauth_text.hpp"
#include "login/provider_flows.hpp"

#include <cpa/sdk/errors.hpp>

namespace cpa::oauth {

namespace {

using cpa::sdk::Access;
using cpa::sdk::HttpError;
using cpa::sdk::Method;
using cpa::sdk::Request;
using cpa::sdk::Response;
using cpa::sdk::Value;
using login::LoginEngine;

class LoginFlowsImpl final : public LoginFlows {
public:
    explicit LoginFlowsImpl(std::shared_ptr<LoginEngine> engine) : engine_(std::move(engine)) {}
    ~LoginFlowsImpl() override { engine_->stop(); }
    void stop() override { engine_->stop(); }

private:
    std::shared_ptr<LoginEngine> engine_;
};

login::PkceCodes pkceOrThrow() {
    try {
        return login::generatePkce();
    } catch (const std::exception&) {
        throw HttpError(500, "failed to generate PKCE codes");
    }
}

std::string hexStateOrThrow() {
    try {
        return login::randomHexState();
    } catch (const std::exception&) {
        throw HttpError(500, "failed to generate state parameter");
    }
}

/// Starts the web-UI forwarder when asked (is_webui), then the flow task;
/// the task releases the forwarder when it ends.
void launch(LoginEngine& engine, Request& req, const login::LoginSettings& s, const login::AuthCodeProvider& p,
            const std::string& callbackPath, const std::string& state, std::function<void()> flow) {
    std::shared_ptr<login::CallbackForwarder> forwarder;
    if (login::isTruthyFlag(req.query("is_webui").value_or(""))) {
        if (s.serverPort <= 0) throw HttpError(500, "callback server unavailable");
        const std::string target =
            std::string(s.serverTls ? "https" : "http") + "://127.0.0.1:" + std::to_string(s.serverPort) + callbackPath;
        try {
            forwarder = engine.forwarders().start(p.callbackPort, target);
        } catch (const std::exception& e) {
            engine.log().error(std::string("oauth login: ") + e.what());
            throw HttpError(500, "failed to start callback server");
        }
    }
    const bool started = engine.tasks().spawn([&engine, forwarder, flow = std::move(flow)] {
        try {
            flow();
        } catch (const std::exception& e) {
            engine.log().error(std::string("oauth login task failed: ") + e.what());
        }
        engine.forwarders().release(forwarder);
    });
    if (!started) {
        engine.forwarders().release(forwarder);
        throw HttpError(503, "server is shutting down");
    }
}

void ok(Response& res, const std::string& url, const std::string& state) {
    res.json(200, Value::object({{"status", "ok"}, {"url", url}, {"state", state}}));
}

void registerAuthUrlRoutes(cpa::sdk::RouteRegistry& routes, const std::shared_ptr<LoginEngine>& engine) {
    const std::string base(cpa::sdk::kManagementBase);
    LoginEngine* e = engine.get();

    routes.route(Method::Get, base + "/anthropic-auth-url", Access::Management, [engine, e](Request& req, Response& res) {
        const auto pkce = pkceOrThrow();
        const std::string state = hexStateOrThrow();
        const auto s = e->settings();
        const std::string url = login::anthropicAuthUrl(s.anthropic, state, pkce);
        e->registerSession(state, "anthropic");
        launch(*e, req, s, s.anthropic, "/anthropic/callback", state,
               [e, s, state, pkce] { login::runAnthropicFlow(*e, s.anthropic, state, pkce, s.callbackTimeout); });
        ok(res, url, state);
    });

    routes.route(Method::Get, base + "/codex-auth-url", Access::Management, [engine, e](Request& req, Response& res) {
        const auto pkce = pkceOrThrow();
        const std::string state = hexStateOrThrow();
        const auto s = e->settings();
        const std::string url = login::codexAuthUrl(s.codex, state, pkce);
        e->registerSession(state, "codex");
        launch(*e, req, s, s.codex, "/codex/callback", state,
               [e, s, state, pkce] { login::runCodexFlow(*e, s.codex, state, pkce, s.callbackTimeout); });
        ok(res, url, state);
    });

    routes.route(Method::Get, base + "/gemini-cli-auth-url", Access::Management,
                 [engine, e](Request& req, Response& res) {
                     const std::string state = login::timeState("gem");
                     const std::string projectId = req.query("project_id").value_or("");
                     const auto s = e->settings();
                     const std::string url = login::geminiAuthUrl(s.gemini, state);
                     e->registerSession(state, "gemini");
                     launch(*e, req, s, s.gemini, "/google/callback", state,
                            [e, s, state, projectId] { login::runGeminiFlow(*e, s, state, projectId); });
                     ok(res, url, state);
                 });

    routes.route(Method::Get, base + "/antigravity-auth-url", Access::Management,
                 [engine, e](Request& req, Response& res) {
                     const std::string state = hexStateOrThrow();
                     const auto s = e->settings();
                     const std::string url = login::antigravityAuthUrl(s.antigravity, state);
                     e->registerSession(state, "antigravity");
                     launch(*e, req, s, s.antigravity, "/antigravity/callback", state, [e, s, state] {
                         login::runAntigravityFlow(*e, s.antigravity, state, s.callbackTimeout);
                     });
                     ok(res, url, state);
                 });

    routes.route(Method::Get, base + "/kimi-auth-url", Access::Management, [engine, e](Request&, Response& res) {
        const std::string state = login::timeState("kmi");
        const auto s = e->settings();
        login::KimiDevice device;
        try {
            device = login::requestKimiDevice(*e, s.kimi);
        } catch (const std::exception& ex) {
            e->log().warning(std::string("kimi login: device authorization failed: ") + ex.what());
            throw HttpError(500, "failed to generate authorization url");
        }
        e->registerSession(state, "kimi");
        if (!e->tasks().spawn([e, s, state, device] { login::runKimiFlow(*e, s.kimi, state, device); })) {
            throw HttpError(503, "server is shutting down");
        }
        ok(res, device.verificationUrl, state);
    });
}

}  // namespace

std::unique_ptr<LoginFlows> registerLoginFlows(cpa::sdk::ModuleContext& ctx, cpa::sdk::RouteRegistry& routes,
                                               std::shared_ptr<cpa::sdk::CredentialStore> store) {
    auto engine = std::make_shared<LoginEngine>(ctx, std::move(store));
    registerAuthUrlRoutes(routes, engine);
    login::registerCallbackRoutes(routes, engine);
    return std::make_unique<LoginFlowsImpl>(std::move(engine));
}

}  // namespace cpa::oauth
