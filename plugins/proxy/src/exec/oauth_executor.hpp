#pragma once
// OAuth credentials (wire oauth:<type>, issue 20) in front of the executor:
// each attempt takes a token from cpa.TokenSource/1 (the oauth module owns
// the files and refreshes them) and runs the inner executor with a copy of
// the credential carrying it. An upstream 401 before any byte reached the
// client forces one refresh and one more call (oauth-executors.md §2.6 is
// the original's behaviour; docs/compatibility.md says why this differs).
// API-key credentials pass straight through.
#include "exec/executor.hpp"

#include <cpa/sdk/token_source.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace cpa::proxy {

class OAuthExecutor final : public Executor {
public:
    explicit OAuthExecutor(std::unique_ptr<Executor> inner);
    /// Set in start() (the provider may be configured after this module) and
    /// reset in stop(); null: OAuth attempts fail with 503.
    void setTokenSource(std::shared_ptr<sdk::TokenSource> source);
    ExecResult execute(const ExecRequest& request, ClientSink& sink) override;

private:
    ExecResult callWith(const ExecRequest& request, const sdk::TokenGrant& grant, ClientSink& sink);
    /// The credential carrying `grant`'s token, copied once per (credential,
    /// token) and reused by every attempt until the token changes: an
    /// attempt on an unchanged token allocates and copies nothing here.
    std::shared_ptr<const UpstreamCredential> withToken(const std::shared_ptr<const UpstreamCredential>& credential,
                                                        const sdk::TokenGrant& grant);

    struct Bound {
        std::weak_ptr<const UpstreamCredential> source;  ///< a new credential object (reload) is a new entry
        std::string accessToken, accountId;
        std::shared_ptr<const UpstreamCredential> credential;
    };
    std::unique_ptr<Executor> inner_;
    std::atomic<std::shared_ptr<sdk::TokenSource>> tokens_;
    std::mutex boundMutex_;
    std::unordered_map<const UpstreamCredential*, Bound> bound_;
};

/// The attempt's result when no token could be had: `status` for routing's
/// cooldown (401: refresh token rejected; 503: token endpoint failure), the
/// message for the client's error body, nothing written to the sink.
ExecResult tokenFailure(const ExecRequest& request, const ClientSink& sink, const sdk::TokenGrant& grant);

}  // namespace cpa::proxy
