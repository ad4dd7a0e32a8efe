#pragma once
// One client request through routing (data-plane §6.8–§6.11): the attempt
// round over credentials and pool models, the outer retry loop, stream
// bootstrap retries. Every upstream attempt is reported (usage records, data-plane.md §11.1).
#include "exec/executor.hpp"
#include "routing/credential_pool.hpp"
#include "routing/settings.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cpa::proxy {

struct RouteRequest {
    ExecRequest exec;  ///< everything but credential and upstream model
    std::string routeModel;
    std::vector<std::string> providers;  ///< data-plane.md §6.1 order, already restricted to the client's format family
};

struct AttemptReport {
    CredentialPtr credential;
    std::string upstreamModel;  ///< without thinking suffix
    TimePoint requestedAt;
    std::chrono::milliseconds latency{};
    bool failed{};
    TokenUsage usage;
};

struct AttemptTrace {
    CredentialPtr credential;
    AttemptLog log;
};

struct RouteOutcome {
    enum class Kind {
        Success,        ///< result holds the response (non-stream) or the stream ended well
        Committed,      ///< bytes reached the client; an error (if any) was written in-stream
        Cancelled,      ///< the client went away
        UpstreamError,  ///< result holds the last upstream error; nothing written
        NoCredential    ///< pickError says why; nothing written
    };
    Kind kind{Kind::NoCredential};
    ExecResult result;
    std::optional<PickError> pickError;
    std::vector<AttemptTrace> attempts;
};

class Conductor {
public:
    using Reporter = std::function<void(const AttemptReport&)>;
    Conductor(CredentialPool& pool, Executor& executor, Clock& clock, Reporter reporter);

    /// Each attempt sets `request.exec`'s credential and upstream model in
    /// place (no copy of body and headers per attempt).
    RouteOutcome route(RouteRequest& request, const RoutingSettings& settings, ClientSink& sink);

private:
    RouteOutcome withRetries(RouteRequest& request, const RoutingSettings& settings, ClientSink& sink,
                             std::vector<AttemptTrace>& traces);
    RouteOutcome round(RouteRequest& request, const RoutingSettings& settings, ClientSink& sink,
                       std::vector<AttemptTrace>& traces);
    ExecResult executeSafely(const ExecRequest& request, ClientSink& sink);
    /// One attempt on (credential, upstream model), recorded and reported.
    /// Returns the outcome when the round ends here (success, commit,
    /// cancel, an invalid request); otherwise keeps the failure in `last`.
    std::optional<RouteOutcome> runChoice(RouteRequest& request, const RoutingSettings& settings, ClientSink& sink,
                                          std::vector<AttemptTrace>& traces, const CredentialPtr& credential,
                                          const UpstreamChoice& choice, std::optional<RouteOutcome>& last);
    /// quota-exceeded.switch-preview-model: the catalogue's preview variants
    /// of `choice` on the same credential, not blocked (docs/compatibility.md Q2).
    std::vector<UpstreamChoice> previewChoices(const Credential& credential, const UpstreamChoice& choice) const;

    CredentialPool& pool_;
    Executor& executor_;
    Clock& clock_;
    Reporter reporter_;
};

/// Text used to classify an upstream error: its body, else its message.
std::string errorText(const ExecResult& result);

}  // namespace cpa::proxy
