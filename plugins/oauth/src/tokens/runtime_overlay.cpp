#include "tokens/runtime_overlay.hpp"

#include "time_values.hpp"

#include <cpa/sdk/time_format.hpp>
#include "tokens/refresh_policy.hpp"

#include <cpa/sdk/token_source.hpp>

namespace cpa::oauth {

EntryOverlay runtimeOverlay(std::shared_ptr<TokenService> tokens, sdk::Services& services) {
    sdk::Services* s = &services;
    return [tokens, s](const StoredCredential& rec, sdk::Value& e) {
        const sdk::Value* id = e.find("id");
        if (rec.disabled || !id || !id->isString()) return;
        if (auto states = s->get(sdk::kCredentialStatesService)) {
            const sdk::CredentialRuntimeState st = states->state(id->asString());
            if (st.known) {
                e.set("success", st.success);
                e.set("failed", st.failed);
                if (st.error) {
                    e.set("status", "error");
                    e.set("status_message", st.statusMessage);
                }
                e.set("unavailable", st.unavailable);
                if (st.unavailable && st.nextRetryAfterUnixMs > 0)
                    e.set("next_retry_after", sdk::formatRfc3339Nano(sdk::zonedFromUnixNanos(st.nextRetryAfterUnixMs * 1'000'000)));
            }
        }
        // A failed refresh wins. Without a usable token the credential serves
        // nothing until the retry time; a failed background refresh ahead of
        // expiry leaves a token that still serves (K4). Keyed by the file: the
        // projects of a multi-project file share its token.
        if (auto f = tokens->refreshFailure(rec.id)) {
            e.set("status", "error");
            e.set("status_message", f->message);
            const std::optional<std::int64_t> expiry = tokenExpiryNs(rec.metadata);
            const bool serving =
                !storedAccessToken(rec.metadata).empty() && expiry && stillUsable(expiry, nowNs());
            if (!serving) {
                e.set("unavailable", true);
                e.set("next_retry_after", sdk::formatRfc3339Nano(sdk::zonedFromUnixNanos(f->retryAfterNs)));
            }
        }
    };
}

}  // namespace cpa::oauth
