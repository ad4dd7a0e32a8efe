#include "exec/oauth_executor.hpp"

#include <cpa/sdk/credential_sources.hpp>

namespace cpa::proxy {

namespace {

/// Waiting for a token never outlasts the attempt's own budget; a refresh
/// in flight elsewhere is waited for (no second refresh), up to this bound.
std::chrono::milliseconds tokenWait(const ExecRequest& r) {
    return std::min<std::chrono::milliseconds>(r.timeout, std::chrono::seconds(60));
}

}  // namespace

ExecResult tokenFailure(const ExecRequest& request, const ClientSink& sink, const sdk::TokenGrant& grant) {
    ExecResult r;
    // 404 (the file vanished or was disabled meanwhile) is not the model's
    // fault: no HTTP status, so routing records no cooldown for it.
    r.status = grant.status == 404 ? 0 : grant.status;
    r.errorCode = "auth_unavailable";
    r.errorMessage = grant.message.empty() ? std::string("no access token for the credential") : grant.message;
    r.keepalivesSent = !request.stream && sink.begun();
    r.log.errors.push_back(r.errorMessage);
    return r;
}

OAuthExecutor::OAuthExecutor(std::unique_ptr<Executor> inner) : inner_(std::move(inner)) {}

void OAuthExecutor::setTokenSource(std::shared_ptr<sdk::TokenSource> source) { tokens_.store(std::move(source)); }

std::shared_ptr<const UpstreamCredential> OAuthExecutor::withToken(
    const std::shared_ptr<const UpstreamCredential>& credential, const sdk::TokenGrant& grant) {
    std::lock_guard lock(boundMutex_);
    Bound& b = bound_[credential.get()];
    if (b.credential && b.accessToken == grant.accessToken && b.accountId == grant.accountId &&
        b.source.lock() == credential)
        return b.credential;
    auto cred = std::make_shared<UpstreamCredential>(*credential);
    cred->apiKey = grant.accessToken;
    if (!grant.accountId.empty() && builderWire(cred->wire) == sdk::wire::kCodexResponses)
        cred->headers.insert(cred->headers.begin(), {"Chatgpt-Account-Id", grant.accountId});
    b = Bound{credential, grant.accessToken, grant.accountId, cred};
    // Credentials replaced by a reload leave entries behind: drop them now
    // and then (the map holds one entry per live credential otherwise).
    if (bound_.size() > 64) std::erase_if(bound_, [](const auto& e) { return e.second.source.expired(); });
    return cred;
}

ExecResult OAuthExecutor::callWith(const ExecRequest& request, const sdk::TokenGrant& grant, ClientSink& sink) {
    ExecRequest copy = request;
    copy.credential = withToken(request.credential, grant);
    return inner_->execute(copy, sink);
}

ExecResult OAuthExecutor::execute(const ExecRequest& request, ClientSink& sink) {
    if (!request.credential || !request.credential->oauth) return inner_->execute(request, sink);
    const std::shared_ptr<sdk::TokenSource> tokens = tokens_.load();
    if (!tokens) {
        sdk::TokenGrant none;
        none.status = 503;
        none.message = "no token source for OAuth credentials (the oauth module is not loaded)";
        return tokenFailure(request, sink, none);
    }
    const std::string& id = request.credential->tokenKey();  // a project of a multi-project file: the file
    const sdk::TokenGrant grant = tokens->token(id, tokenWait(request));
    if (!grant.ok) return tokenFailure(request, sink, grant);
    ExecResult r = callWith(request, grant, sink);
    if (r.status != 401 || r.committed || r.cancelled) return r;
    // The upstream refused the token: one forced refresh (shared with any
    // concurrent caller that saw the same 401), one more call.
    const sdk::TokenGrant fresh = tokens->refreshAfterRejection(id, grant.accessToken, tokenWait(request));
    if (!fresh.ok) return tokenFailure(request, sink, fresh);
    return callWith(request, fresh, sink);
}

}  // namespace cpa::proxy
