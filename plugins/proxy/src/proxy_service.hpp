#pragma once
// The data plane's shared state: registry, credential pool, conductor and
// the executor, rebuilt from config on every reload (data-plane §4.2).
// Handlers call into it from many threads.
#include "exec/executor.hpp"
#include "http/response_sink.hpp"
#include "records/records.hpp"
#include "registry/model_registry.hpp"
#include "routing/clock.hpp"
#include "routing/conductor.hpp"
#include "routing/credential_pool.hpp"
#include "routing/settings.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/services.hpp>

#include <memory>
#include <mutex>

namespace cpa::proxy {

/// Request attribute names set by the core's client-key guard.
inline constexpr std::string_view kPrincipalAttribute = "client-key";

class ProxyService {
public:
    ProxyService(sdk::ConfigStore& config, sdk::Events& events, sdk::Logger& logger,
                 std::unique_ptr<Executor> executor, std::shared_ptr<Clock> clock);

    /// Re-synthesises credentials from the snapshot and reconciles (§4.2).
    void reload(const sdk::SnapshotPtr& snapshot);

    /// POST generation routes (§2).
    void handleGeneration(sdk::Request& req, sdk::Response& res, ClientFormat format);
    /// GET /v1/models, /v1beta/models, /v1beta/models/<name> (§5.4).
    void handleModels(sdk::Request& req, sdk::Response& res);
    void handleGeminiModels(sdk::Request& req, sdk::Response& res);
    void handleGeminiModel(sdk::Request& req, sdk::Response& res);

    /// A generation request answered before its handler ran (the client-key
    /// guard's 401, a 413 for the body): its request record (§12), so the
    /// request and error logs show it as the original's capture does.
    void recordUnserved(const sdk::Request& req, const sdk::Response& res);
    /// True when handleGeneration ran for `req` on this thread; clears the
    /// mark (the next request's object may live at the same address).
    static bool takeHandled(const sdk::Request& req) noexcept;

    ModelRegistry& registry() noexcept { return registry_; }
    CredentialPool& pool() noexcept { return pool_; }
    Clock& clock() noexcept { return *clock_; }

private:
    struct Parsed;
    void writeOutcome(sdk::Request& req, sdk::Response& res, const RouteRequest& route, const RoutingSettings& settings,
                      RouteOutcome& outcome, ResponseSink& sink);
    void publishCompleted(const sdk::Request& req, const sdk::Response& res, std::chrono::system_clock::time_point at,
                          const std::string& streamed, const std::vector<AttemptTrace>& attempts);

    sdk::ConfigStore& config_;
    sdk::Events& events_;
    sdk::Logger& logger_;
    std::unique_ptr<Executor> executor_;
    std::shared_ptr<Clock> clock_;
    ModelRegistry registry_;
    CredentialPool pool_;
    std::mutex reloadMutex_;
    sdk::SnapshotPtr applied_;
};

/// Providers usable by a client format (§13 item 5): `openai` → compat
/// providers, `openai-response` → codex, `claude` → claude, `gemini` → gemini/vertex.
bool providerServesFormat(const std::string& providerKey, ClientFormat format);

}  // namespace cpa::proxy
