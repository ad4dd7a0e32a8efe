#include "proxy_module.hpp"

#include "routing/credential_metrics.hpp"

#include "exec/antigravity_executor.hpp"
#include "exec/executor_factory.hpp"
#include "exec/oauth_executor.hpp"
#include "registry/credential_states_adapter.hpp"
#include "http/unserved_recorder.hpp"
#include "registry/model_listing_adapter.hpp"

#include <set>
#include <stdexcept>
#include <string>

namespace cpa::proxy {

ProxyModule::ProxyModule() = default;

ProxyModule::ProxyModule(std::unique_ptr<Executor> executor, std::shared_ptr<Clock> clock)
    : pendingExecutor_(std::move(executor)), clock_(std::move(clock)) {}

ProxyModule::~ProxyModule() { stop(); }

void ProxyModule::configure(sdk::ModuleContext& context) {
    using T = sdk::ConfigType;
    context.config().declare({"proxy",
                              {{"proxy-url", T::String},
                               {"request-retry", T::Int},
                               {"max-retry-credentials", T::Int},
                               {"max-retry-interval", T::Int},
                               {"disable-cooling", T::Bool},
                               {"routing", T::Mapping},
                               {"routing.strategy", T::String},
                               {"routing.session-affinity", T::Bool},
                               {"routing.session-affinity-ttl", T::Any},
                               {"routing.claude-code-session-affinity", T::Any},
                               {"force-model-prefix", T::Bool},
                               {"passthrough-headers", T::Bool},
                               {"nonstream-keepalive-interval", T::Int},
                               {"streaming", T::Mapping},
                               {"streaming.keepalive-seconds", T::Int},
                               {"streaming.bootstrap-retries", T::Int},
                               // What it routes to; a malformed entry is skipped, never refused.
                               {"gemini-api-key", T::Any},
                               {"claude-api-key", T::Any},
                               {"codex-api-key", T::Any},
                               {"vertex-api-key", T::Any},
                               {"openai-compatibility", T::Any},
                               {"oauth-excluded-models", T::Any},
                               {"oauth-model-alias", T::Any},
                              // Base URL per OAuth provider (issue 20); tests point them at fakes.
                              {"oauth-upstreams", T::Mapping},
                              {"oauth-upstreams.claude", T::String},
                              {"oauth-upstreams.codex", T::String},
                              {"oauth-upstreams.gemini-cli", T::String},
                              {"oauth-upstreams.antigravity", T::Any},  // one URL or a list
                              {"oauth-upstreams.kimi", T::String}},
                              {}});
    context_ = &context;
    // OAuth file credentials take their tokens from cpa.TokenSource/1 in front of the executor.
    // Antigravity's attempt loop (base URLs, soft 429 retries) runs under it,
    // so a 401 from any base URL reaches the token refresh.
    auto oauth = std::make_unique<OAuthExecutor>(std::make_unique<AntigravityExecutor>(
        pendingExecutor_ ? std::move(pendingExecutor_) : makeExecutor(context.logger())));
    oauthExecutor_ = oauth.get();
    std::unique_ptr<Executor> executor = std::move(oauth);
    if (!clock_) clock_ = std::make_shared<SystemClock>();
    sources_ = context.services().get(sdk::kCredentialSourcesService);
    if (!sources_) throw std::runtime_error("proxy: no credential sources service");
    service_ = std::make_unique<ProxyService>(context.config(), *sources_, context.events(), context.logger(),
                                              std::move(executor), clock_);
    service_->reload(context.config().snapshot());
    ProxyService* service = service_.get();
    sdk::ConfigStore* config = &context.config();
    subscription_ = context.config().subscribe([service](const sdk::SnapshotPtr& snap) { service->reload(snap); });
    // Whatever any module contributes, now or later (config reloads, auth files, third-party plugins).
    sourcesSubscription_ = sources_->subscribe([service, config] { service->reload(config->snapshot()); });
    // Read by the management API (/auth-files/models) without knowing this module.
    context.services().provide(sdk::kModelListingService, std::make_shared<ModelListingAdapter>(service_->registry()));
    // Cooldowns and counters for GET /auth-files (the oauth module shows them).
    context.services().provide(sdk::kCredentialStatesService,
                               std::make_shared<CredentialStatesAdapter>(service_->pool()));
    const auto active = service_->pool().activeCredentials();
    context.logger().info("proxy: " + std::to_string(active.size()) + " routable credentials");
}

void ProxyModule::registerRoutes(sdk::RouteRegistry& routes) {
    using sdk::Access;
    using sdk::Method;
    ProxyService* s = service_.get();
    std::set<std::string, std::less<>> generation;
    auto post = [&routes, &generation, s](std::string pattern, ClientFormat f) {
        generation.insert(pattern);
        routes.route(sdk::Method::Post, std::move(pattern), sdk::Access::ClientKey,
                     [s, f](sdk::Request& req, sdk::Response& res) { s->handleGeneration(req, res, f); });
    };
    routes.route(Method::Get, "/v1/models", Access::ClientKey,
                 [s](sdk::Request& req, sdk::Response& res) { s->handleModels(req, res); });
    post("/v1/chat/completions", ClientFormat::OpenAIChat);
    post("/v1/completions", ClientFormat::OpenAICompletions);
    post("/v1/messages", ClientFormat::Claude);
    post("/v1/messages/count_tokens", ClientFormat::ClaudeCountTokens);
    for (const std::string base : {"/v1/responses", "/backend-api/codex/responses"}) {
        post(base, ClientFormat::Responses);
        post(base + "/compact", ClientFormat::ResponsesCompact);
    }
    routes.route(Method::Get, "/v1beta/models", Access::ClientKey,
                 [s](sdk::Request& req, sdk::Response& res) { s->handleGeminiModels(req, res); });
    // A catch-all: the model part may hold '/' (a prefixed model, data-plane.md §2).
    routes.route(Method::Get, "/v1beta/models/*action", Access::ClientKey,
                 [s](sdk::Request& req, sdk::Response& res) { s->handleGeminiModel(req, res); });
    post("/v1beta/models/*action", ClientFormat::Gemini);
    auto recorder = std::make_shared<UnservedRecorder>(*s, std::move(generation));
    routes.use(sdk::Phase::BeforeAccess, 100, recorder);
    routes.use(sdk::Phase::Unrouted, 100, recorder);
}

// In start(): the metrics module provides its registry during configure.
void ProxyModule::start() {
    credentialMetrics_ = addCredentialMetrics(context_->services(), service_->pool());
    if (oauthExecutor_) oauthExecutor_->setTokenSource(context_->services().get(sdk::kTokenSourceService));
}

void ProxyModule::stop() noexcept {
    // The token source is another module's object: released before modules are destroyed.
    if (oauthExecutor_) oauthExecutor_->setTokenSource(nullptr);
    credentialMetrics_.reset();
    sourcesSubscription_.reset();
    subscription_.reset();
}

}  // namespace cpa::proxy
