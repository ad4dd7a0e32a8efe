#pragma once
// The data plane's shared state: registry, credential pool, conductor and
// the executor, rebuilt from the contributed credentials (cpa.CredentialSources/1)
// on every change of them or of config (data-plane §4.2). Handlers call into
// it from many threads.
#include "exec/executor.hpp"
#include "http/response_sink.hpp"
#include "records/records.hpp"
#include "registry/model_registry.hpp"
#include "routing/clock.hpp"
#include "routing/conductor.hpp"
#include "routing/credential_pool.hpp"
#include "routing/settings.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/credential_sources.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/services.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::proxy {

class ProxyService {
public:
    ProxyService(sdk::ConfigStore& config, sdk::CredentialSources& sources, sdk::Events& events,
                 sdk::Logger& logger, std::unique_ptr<Executor> executor, std::shared_ptr<Clock> clock);

    /// Reconciles with the contributed credentials under the settings of
    /// `snapshot` (data-plane.md §4.2). Called on config reloads and credential changes.
    void reload(const sdk::SnapshotPtr& snapshot);

    /// POST generation routes (data-plane.md §2).
    void handleGeneration(sdk::Request& req, sdk::Response& res, ClientFormat format);
    /// GET /v1/models, /v1beta/models, /v1beta/models/<name> (data-plane.md §5.4).
    void handleModels(sdk::Request& req, sdk::Response& res);
    void handleGeminiModels(sdk::Request& req, sdk::Response& res);
    void handleGeminiModel(sdk::Request& req, sdk::Response& res);

    /// A generation request answered before its handler ran (the client-key
    /// guard's 401, a 413 for the body): its request record (data-plane.md §12), so the
    /// request and error logs show it as the original's capture does.
    void recordUnserved(const sdk::Request& req, const sdk::Response& res);
    /// Request attribute (a bool Value) marking a request handleGeneration ran
    /// for. handleGeneration sets it first thing, because it publishes that
    /// request's record itself; UnservedRecorder::onComplete reads it and records
    /// only the requests without it. It lives and dies with its request.
    static constexpr std::string_view kHandledAttribute = "proxy.handled";

    ModelRegistry& registry() noexcept { return registry_; }
    CredentialPool& pool() noexcept { return pool_; }
    Clock& clock() noexcept { return *clock_; }

private:
    // handleGeneration's steps: parse (proxy_service.cpp), resolve, route, write.
    /// The providers that can serve `model` in the client's format, the model
    /// routing asks for, and the decoded conversation when one translates
    /// (data-plane.md §6.1). False when answered here (res written).
    bool resolveProviders(sdk::Response& res, const std::string& model, RouteRequest& route) const;
    /// Runs the attempts (data-plane.md §6), publishing a usage record per attempt.
    RouteOutcome routeGeneration(const sdk::Request& req, RouteRequest& route, const RoutingSettings& settings,
                                 ResponseSink& sink);
    void writeOutcome(sdk::Request& req, sdk::Response& res, const RouteRequest& route, const RoutingSettings& settings,
                      RouteOutcome& outcome, ResponseSink& sink);
    /// Who reads this request's record, asked once when it arrives: every
    /// request's (request.completed: the full request log), or only a failed
    /// one's (request.failed: the error-only log, which needs neither the
    /// attempt logs nor the streamed body — a stream that began did not fail).
    struct RecordWants {
        bool all{};
        bool failed{};
    };
    RecordWants recordWants() const;
    void publishCompleted(const sdk::Request& req, const sdk::Response& res, std::chrono::system_clock::time_point at,
                          RecordWants wants, const std::string& streamed, const std::vector<AttemptTrace>& attempts);

    /// Wire formats of each provider's routable credentials; replaced whole
    /// on reload, read per request without a lock.
    using ProviderWires = std::map<std::string, std::vector<std::string>, std::less<>>;
    /// How a provider's credentials reach a client format: not at all, all
    /// natively, or some through translation (the conversation is then decoded).
    enum class Reach { None, Native, Translated };
    Reach providerReach(const ProviderWires& wires, const std::string& provider, ClientFormat format) const;

    sdk::ConfigStore& config_;
    sdk::CredentialSources& sources_;
    sdk::Events& events_;
    sdk::Logger& logger_;
    std::unique_ptr<Executor> executor_;
    std::shared_ptr<Clock> clock_;
    ModelRegistry registry_;
    CredentialPool pool_;
    std::mutex reloadMutex_;
    sdk::SnapshotPtr applied_;
    std::atomic<std::shared_ptr<const ProviderWires>> providerWires_;
};

}  // namespace cpa::proxy
