#include "routing/conductor.hpp"

#include "registry/catalog.hpp"
#include "routing/error_class.hpp"
#include "routing/model_name.hpp"

#include <set>

namespace cpa::proxy {

std::string errorText(const ExecResult& r) { return r.errorBody.empty() ? r.errorMessage : r.errorBody; }

Conductor::Conductor(CredentialPool& pool, Executor& executor, Clock& clock, Reporter reporter)
    : pool_(pool), executor_(executor), clock_(clock), reporter_(std::move(reporter)) {}

ExecResult Conductor::executeSafely(const ExecRequest& request, ClientSink& sink) {
    const auto failure = [&](std::string message) {
        ExecResult r;
        r.errorCode = "executor_failure";
        r.errorMessage = std::move(message);
        // Before a stream's first byte the sink is untouched; a non-stream
        // sink may hold keep-alive newlines only (data-plane.md §8.1).
        r.committed = request.stream && sink.begun();
        r.keepalivesSent = !request.stream && sink.begun();
        return r;
    };
    try {
        return executor_.execute(request, sink);
    } catch (const std::exception& e) {
        return failure(e.what());
    } catch (...) {
        return failure("executor failure");
    }
}

namespace {

/// A quota-exhausted answer of a Gemini CLI credential
/// (oauth-executors.md §4.1): 429, or Google's RESOURCE_EXHAUSTED status under another code.
bool quotaExhausted(const Credential& c, const ExecResult& r) {
    if (c.accountKey.empty() || r.ok || r.cancelled || r.committed) return false;
    return r.status == 429 || (r.status != 0 && errorText(r).find("RESOURCE_EXHAUSTED") != std::string::npos);
}

}  // namespace

std::vector<UpstreamChoice> Conductor::previewChoices(const Credential& c, const UpstreamChoice& choice) const {
    std::vector<UpstreamChoice> out;
    const SplitModel split = splitThinkingSuffix(choice.model);
    for (const std::string& v : previewVariants(c.catalogSection, split.base)) {
        if (pool_.blocked(c.id, v)) continue;
        out.push_back({split.hasSuffix ? v + "(" + split.suffix + ")" : v, v});
    }
    return out;
}

std::optional<RouteOutcome> Conductor::runChoice(RouteRequest& req, const RoutingSettings& settings, ClientSink& sink,
                                                 std::vector<AttemptTrace>& traces, const CredentialPtr& cred,
                                                 const UpstreamChoice& choice, std::optional<RouteOutcome>& last) {
    ExecRequest& exec = req.exec;  // each attempt sets its credential and model; nothing else changes
    exec.credential = cred->upstream;
    exec.upstreamModel = choice.model;
    const TimePoint requestedAt = clock_.now();
    const auto started = std::chrono::steady_clock::now();
    ExecResult res = executeSafely(exec, sink);
    const auto latency =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (exec.recordLog) traces.push_back({cred, std::move(res.log)});  // only the request log reads them
    reporter_(AttemptReport{cred, stripThinkingSuffix(choice.model), requestedAt, latency, !res.ok || res.cancelled,
                            res.usage});
    RouteOutcome out;
    out.result = std::move(res);
    ExecResult& r = out.result;
    if (r.cancelled) {
        out.kind = RouteOutcome::Kind::Cancelled;  // not the credential's fault: nothing recorded
        return out;
    }
    if (r.ok) {
        pool_.recordSuccess(cred->id, choice.stateKey);
        out.kind = r.committed ? RouteOutcome::Kind::Committed : RouteOutcome::Kind::Success;
        return out;
    }
    const std::string text = errorText(r);
    pool_.recordFailure(cred->id, choice.stateKey, Failure{r.status, text, r.retryAfter}, settings.disableCooling);
    if (r.committed) {
        out.kind = RouteOutcome::Kind::Committed;  // the executor ended the stream with an error event
        return out;
    }
    out.kind = RouteOutcome::Kind::UpstreamError;
    if (isRequestInvalid(r.status, text)) return out;
    last = std::move(out);
    return std::nullopt;
}

RouteOutcome Conductor::round(RouteRequest& req, const RoutingSettings& settings, ClientSink& sink,
                              std::vector<AttemptTrace>& traces) {
    std::set<std::string> tried;
    int attempted = 0;
    std::optional<RouteOutcome> last;
    std::string sameAccount;  // switch-project: the account whose other projects go first
    for (;;) {
        if (settings.maxRetryCredentials > 0 && attempted >= settings.maxRetryCredentials) {
            if (last) return *last;
            RouteOutcome none;
            none.pickError = PickError{PickError::Code::AuthNotFound, {}};
            return none;
        }
        CredentialPtr cred = pool_.pickSameAccount(req.providers, req.routeModel, tried, sameAccount);
        sameAccount.clear();
        if (!cred) {
            PickResult pick = pool_.pick(req.providers, req.routeModel, tried, settings.strategy);
            if (!pick.credential) {
                if (last) return *last;
                RouteOutcome none;
                none.pickError = pick.error;
                return none;
            }
            cred = pick.credential;
        }
        tried.insert(cred->id);
        const std::vector<UpstreamChoice> choices = pool_.upstreamModels(*cred, req.routeModel);
        if (choices.empty()) continue;  // every pool model blocked: not counted as attempted
        ++attempted;
        for (const UpstreamChoice& choice : choices) {
            if (auto done = runChoice(req, settings, sink, traces, cred, choice, last)) return std::move(*done);
            if (!quotaExhausted(*cred, last->result)) continue;
            if (settings.switchPreviewModel)
                for (const UpstreamChoice& preview : previewChoices(*cred, choice))
                    if (auto done = runChoice(req, settings, sink, traces, cred, preview, last)) return std::move(*done);
            if (settings.switchProject && quotaExhausted(*cred, last->result)) sameAccount = cred->accountKey;
        }
    }
}

RouteOutcome Conductor::withRetries(RouteRequest& req, const RoutingSettings& settings, ClientSink& sink,
                                    std::vector<AttemptTrace>& traces) {
    const auto maxWait = std::chrono::seconds(settings.maxRetryInterval);
    for (int attempt = 0;; ++attempt) {
        RouteOutcome out = round(req, settings, sink, traces);
        if (out.kind != RouteOutcome::Kind::UpstreamError && out.kind != RouteOutcome::Kind::NoCredential) return out;
        if (settings.maxRetryInterval <= 0 || attempt >= settings.requestRetry) return out;
        const bool upstream = out.kind == RouteOutcome::Kind::UpstreamError;
        const int status = upstream ? out.result.status
                                    : (out.pickError && out.pickError->code == PickError::Code::ModelCooldown ? 429 : 503);
        if (status == 200 || (upstream && isRequestInvalid(status, errorText(out.result)))) return out;
        std::chrono::milliseconds wait{};
        if (const auto w = pool_.closestWait(req.providers, req.routeModel)) {
            if (*w > maxWait) return out;
            wait = *w;
        } else if (status == 429 && upstream && out.result.retryAfter && out.result.retryAfter->count() > 0 &&
                   *out.result.retryAfter <= maxWait) {
            wait = *out.result.retryAfter;
        } else {
            return out;
        }
        clock_.sleepFor(wait, [&sink] { return sink.clientGone(); });
        if (sink.clientGone()) return out;  // nobody left to answer: no further round
    }
}

RouteOutcome Conductor::route(RouteRequest& req, const RoutingSettings& settings, ClientSink& sink) {
    std::vector<AttemptTrace> traces;
    for (int bootstrap = 0;; ++bootstrap) {
        RouteOutcome out = withRetries(req, settings, sink, traces);
        // Handler-level bootstrap retries: only before any byte reached the client (data-plane.md §6.11).
        const bool retry = req.exec.stream && out.kind == RouteOutcome::Kind::UpstreamError && !sink.begun() &&
                           bootstrap < settings.bootstrapRetries && isBootstrapRetryable(out.result.status);
        if (!retry) {
            out.attempts = std::move(traces);
            return out;
        }
    }
}

}  // namespace cpa::proxy
