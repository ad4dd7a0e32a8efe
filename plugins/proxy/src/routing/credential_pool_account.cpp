// The credential pool's help for quota switching (issue 21): the other
// projects of one Gemini CLI account, and a blocking check for a model the
// routing did not pick itself (a preview variant).
#include "routing/credential_pool.hpp"

#include <algorithm>

namespace cpa::proxy {

CredentialPtr CredentialPool::pickSameAccount(const std::vector<std::string>& providers, const std::string& routeModel,
                                              const std::set<std::string>& tried, const std::string& accountKey) {
    if (accountKey.empty()) return nullptr;
    std::lock_guard lock(mutex_);
    const TimePoint now = clock_.now();
    for (auto& [id, e] : entries_) {
        const Credential& c = *e.credential;
        if (e.disabled || c.accountKey != accountKey || tried.count(id) || !offersLocked(c, routeModel)) continue;
        if (std::find(providers.begin(), providers.end(), c.providerKey) == providers.end()) continue;
        const auto st = e.states.find(selectionKey(c, routeModel));
        if (blockInfo(st == e.states.end() ? nullptr : &st->second, now).blocked) continue;
        return e.credential;
    }
    return nullptr;
}

bool CredentialPool::blocked(const std::string& credentialId, const std::string& stateKey) const {
    std::lock_guard lock(mutex_);
    const auto e = entries_.find(credentialId);
    if (e == entries_.end()) return false;
    const auto st = e->second.states.find(stateKey);
    return blockInfo(st == e->second.states.end() ? nullptr : &st->second, clock_.now()).blocked;
}

}  // namespace cpa::proxy
