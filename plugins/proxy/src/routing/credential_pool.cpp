#include "routing/credential_pool.hpp"

#include "routing/model_name.hpp"

#include <algorithm>
#include <map>

namespace cpa::proxy {

Strategy parseStrategy(std::string_view text) {
    const std::string s = lowerAscii(trimAscii(text));
    return (s == "fill-first" || s == "fillfirst" || s == "ff") ? Strategy::FillFirst : Strategy::RoundRobin;
}

CredentialPool::CredentialPool(ModelRegistry& registry, Clock& clock) : registry_(registry), clock_(clock) {}

std::string CredentialPool::selectionKey(const Credential& c, const std::string& routeModel) {
    const std::string selection = stripCredentialPrefix(routeModel, c.prefix);
    // OAuth files keep their model states under the upstream name (oauth-executors.md §1.4).
    if (std::string upstream = c.oauthUpstreamFor(selection); !upstream.empty()) return upstream;
    return stripThinkingSuffix(selection);
}

void CredentialPool::registerLocked(const Entry& e) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
    registry_.registerCredential(e.credential->id, e.credential->providerKey, e.credential->prefix,
                                 offeredModels(*e.credential, forceModelPrefix_, now));
}

void CredentialPool::apply(const std::vector<CredentialPtr>& credentials, bool forceModelPrefix, bool reapplyAll) {
    std::lock_guard lock(mutex_);
    forceModelPrefix_ = forceModelPrefix;
    std::set<std::string> present;
    for (const CredentialPtr& c : credentials) {
        present.insert(c->id);
        auto it = entries_.find(c->id);
        if (it == entries_.end()) {
            Entry e;
            e.credential = c;
            registerLocked(e);
            entries_.emplace(c->id, std::move(e));
            continue;
        }
        Entry& e = it->second;
        const bool unchanged = !e.disabled && !reapplyAll && e.credential->fingerprint == c->fingerprint;
        if (unchanged) continue;
        // Replacement re-registers the models, which clears the cooldown state;
        // counters survive (data-plane.md §4.2, §11.3).
        e.credential = c;
        e.disabled = false;
        e.states.clear();
        registerLocked(e);
    }
    for (auto& [id, e] : entries_) {
        if (present.count(id) || e.disabled) continue;
        e.disabled = true;  // kept for its counters until restart
        registry_.unregisterCredential(id);
    }
}

bool CredentialPool::offersLocked(const Credential& c, const std::string& routeModel) const {
    return registry_.offers(c.id, stripThinkingSuffix(routeModel)) ||
           registry_.offers(c.id, stripThinkingSuffix(stripCredentialPrefix(routeModel, c.prefix)));
}

CredentialPtr CredentialPool::roundRobinLocked(const std::string& provider, const std::string& model, int priority,
                                               const std::vector<Entry*>& ready) {
    // The key is built in a per-thread buffer: no allocation once the cursor exists.
    thread_local std::string key;
    key.clear();
    key.append(provider).append("\n").append(model).append("\n").append(std::to_string(priority));
    auto it = cursors_.find(key);
    if (it == cursors_.end()) it = cursors_.emplace(key, 0).first;
    std::size_t& cursor = it->second;
    const std::size_t index = cursor % ready.size();
    cursor = index + 1;
    return ready[index]->credential;
}

PickResult CredentialPool::pick(const std::vector<std::string>& providers, const std::string& routeModel,
                                const std::set<std::string>& tried, Strategy strategy) {
    std::lock_guard lock(mutex_);
    if (strategy != strategy_) {
        strategy_ = strategy;  // a new selector: cursors start over
        cursors_.clear();
        slots_.clear();
    }
    const TimePoint now = clock_.now();
    bool anyCandidate = false, allQuota = true;
    std::optional<TimePoint> earliest;
    std::vector<std::vector<Entry*>> ready(providers.size());
    std::optional<int> best;
    for (std::size_t p = 0; p < providers.size(); ++p) {
        for (auto& [id, e] : entries_) {
            const Credential& c = *e.credential;
            if (e.disabled || c.providerKey != providers[p] || tried.count(id) || !offersLocked(c, routeModel)) continue;
            anyCandidate = true;
            const auto st = e.states.find(selectionKey(c, routeModel));
            const BlockInfo bi = blockInfo(st == e.states.end() ? nullptr : &st->second, now);
            if (bi.blocked) {
                if (!bi.quota || !bi.until) {
                    allQuota = false;
                } else if (!earliest || *bi.until < *earliest) {
                    earliest = bi.until;
                }
                continue;
            }
            ready[p].push_back(&e);
            if (!best || c.priority > *best) best = c.priority;
        }
    }
    if (!best) {
        PickError err;
        if (!anyCandidate) err.code = PickError::Code::AuthNotFound;
        else if (allQuota && earliest) err.code = PickError::Code::ModelCooldown, err.resetAt = *earliest;
        else err.code = PickError::Code::AuthUnavailable;
        return {nullptr, err};
    }
    for (auto& list : ready)
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](Entry* e) { return e->credential->priority != *best; }),
                   list.end());
    const std::string model = stripThinkingSuffix(routeModel);
    if (strategy == Strategy::FillFirst) {
        for (const auto& list : ready)
            if (!list.empty()) return {list.front()->credential, std::nullopt};
    }
    if (providers.size() == 1) return {roundRobinLocked(providers[0], model, *best, ready[0]), std::nullopt};
    // Several providers: a slot counter gives each provider as many turns as it has ready credentials.
    std::size_t total = 0;
    for (const auto& list : ready) total += list.size();
    std::string slotKey;
    for (const auto& p : providers) slotKey += p + ",";
    std::size_t& counter = slots_[slotKey + "\n" + model];
    const std::size_t slot = counter % total;
    std::size_t start = 0, owner = 0;
    for (std::size_t p = 0; p < ready.size(); ++p) {
        if (slot < start + ready[p].size()) {
            owner = p;
            break;
        }
        start += ready[p].size();
    }
    counter = slot + 1;
    return {roundRobinLocked(providers[owner], model, *best, ready[owner]), std::nullopt};
}

std::vector<UpstreamChoice> CredentialPool::upstreamModels(const Credential& c, const std::string& routeModel) {
    const std::string selection = stripCredentialPrefix(routeModel, c.prefix);
    const SplitModel split = splitThinkingSuffix(selection);
    std::vector<std::string> names;
    bool pool = false;
    std::lock_guard lock(mutex_);
    if (c.isApiKeyCredential()) {
        if (c.isCompat()) {
            std::vector<std::string> seen;  // lower-cased names; a handful at most, no tree nodes
            for (const ModelMapping& m : c.models) {
                if (m.alias.empty()) continue;
                if (lowerAscii(m.alias) != lowerAscii(split.base) && lowerAscii(m.alias) != lowerAscii(selection))
                    continue;
                std::string lowered = lowerAscii(m.name);
                if (std::find(seen.begin(), seen.end(), lowered) != seen.end()) continue;
                seen.push_back(std::move(lowered));
                names.push_back(m.name);
            }
            if (names.empty()) {
                for (const ModelMapping& m : c.models) {
                    if (lowerAscii(m.name) == lowerAscii(split.base) || lowerAscii(m.name) == lowerAscii(selection)) {
                        names.push_back(m.name);
                        break;
                    }
                }
            }
            if (names.size() > 1) {
                pool = true;
                std::size_t& counter = poolCounters_[c.id + "\n" + c.providerKey + "\n" + lowerAscii(split.base)];
                const std::size_t offset = counter++ % names.size();
                std::rotate(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(offset), names.end());
            }
        }
        if (names.empty()) {
            std::map<std::string, std::string> table;
            for (const ModelMapping& m : c.models) {
                if (m.name.empty()) continue;
                if (!m.alias.empty()) table.emplace(lowerAscii(stripThinkingSuffix(m.alias)), m.name);
                table.emplace(lowerAscii(m.name), m.name);
            }
            const auto it = table.find(lowerAscii(split.base));
            names.push_back(it == table.end() ? selection : it->second);
        }
    } else if (std::string upstream = c.oauthUpstreamFor(selection); !upstream.empty()) {
        names.push_back(std::move(upstream));  // an OAuth file's oauth-model-alias (oauth-executors.md §1.4)
    } else {
        names.push_back(selection);  // key-less compat: aliases are not resolved (quirk kept)
    }
    std::vector<UpstreamChoice> out;
    const TimePoint now = clock_.now();
    const auto entry = entries_.find(c.id);
    for (std::string& name : names) {
        if (split.hasSuffix && !splitThinkingSuffix(name).hasSuffix) name += "(" + split.suffix + ")";
        UpstreamChoice choice{name, pool ? stripThinkingSuffix(name) : selectionKey(c, routeModel)};
        if (entry != entries_.end()) {
            const auto st = entry->second.states.find(choice.stateKey);
            if (blockInfo(st == entry->second.states.end() ? nullptr : &st->second, now).blocked) continue;
        }
        out.push_back(std::move(choice));
    }
    return out;
}

void CredentialPool::recordSuccess(const std::string& credentialId, const std::string& stateKey) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(credentialId);
    if (it == entries_.end()) return;
    ++it->second.success;
    applySuccess(it->second.states[stateKey]);
    registry_.resume(credentialId, stateKey);
}

void CredentialPool::recordFailure(const std::string& credentialId, const std::string& stateKey,
                                   const Failure& failure, bool coolingDisabled) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(credentialId);
    if (it == entries_.end()) return;
    ++it->second.failed;
    const TimePoint now = clock_.now();
    const auto existing = it->second.states.find(stateKey);
    ModelState candidate = existing == it->second.states.end() ? ModelState{} : existing->second;
    const FailureEffect effect = applyFailure(candidate, failure, coolingDisabled, now);
    if (!effect.recorded) return;
    it->second.states[stateKey] = candidate;
    if (!effect.suspendReason.empty()) registry_.suspend(credentialId, stateKey, effect.suspendReason);
    if (effect.quotaMark) registry_.setQuota(credentialId, stateKey, now);
}

std::optional<std::chrono::milliseconds> CredentialPool::closestWait(const std::vector<std::string>& providers,
                                                                     const std::string& routeModel) {
    std::lock_guard lock(mutex_);
    const TimePoint now = clock_.now();
    std::optional<std::chrono::milliseconds> best;
    for (auto& [id, e] : entries_) {
        if (e.disabled) continue;
        if (std::find(providers.begin(), providers.end(), e.credential->providerKey) == providers.end()) continue;
        const auto st = e.states.find(selectionKey(*e.credential, routeModel));
        if (st == e.states.end()) continue;
        const BlockInfo bi = blockInfo(&st->second, now);
        if (!bi.blocked || bi.disabled || !bi.until) continue;
        const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*bi.until - now);
        if (!best || wait < *best) best = wait;
    }
    return best;
}

std::optional<ModelState> CredentialPool::state(const std::string& credentialId, const std::string& stateKey) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(credentialId);
    if (it == entries_.end()) return std::nullopt;
    auto st = it->second.states.find(stateKey);
    if (st == it->second.states.end()) return std::nullopt;
    return st->second;
}

CredentialPool::Counters CredentialPool::counters(const std::string& credentialId) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(credentialId);
    if (it == entries_.end()) return {};
    return {it->second.success, it->second.failed, it->second.disabled, true};
}

CredentialPool::Summary CredentialPool::summary(const std::string& credentialId) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(credentialId);
    if (it == entries_.end() || it->second.disabled) return {};
    const Entry& e = it->second;
    Summary s{true, false, !e.states.empty(), {}, std::nullopt, e.success, e.failed};
    const TimePoint now = clock_.now();
    for (const auto& [model, state] : e.states) {
        if (state.status == ModelState::Status::Error && !s.error) {
            s.error = true;
            s.lastError = state.lastError;
        }
        const BlockInfo b = blockInfo(&state, now);
        if (!b.blocked) {
            s.unavailable = false;
            continue;
        }
        if (b.until && (!s.nextRetryAfter || *b.until < *s.nextRetryAfter)) s.nextRetryAfter = b.until;
    }
    if (!s.unavailable) s.nextRetryAfter.reset();
    return s;
}

std::vector<CredentialPtr> CredentialPool::activeCredentials() const {
    std::lock_guard lock(mutex_);
    std::vector<CredentialPtr> out;
    for (const auto& [id, e] : entries_)
        if (!e.disabled) out.push_back(e.credential);
    return out;
}

std::vector<CredentialPool::StateCount> CredentialPool::stateCounts() const {
    const TimePoint now = clock_.now();
    std::lock_guard lock(mutex_);
    std::vector<StateCount> out;
    for (const auto& [id, e] : entries_) {
        if (e.disabled) continue;
        StateCount c{e.credential, 0, 0};
        for (const auto& [model, st] : e.states) {
            if (st.unavailable && st.nextRetryAfter && *st.nextRetryAfter > now) ++c.coolingModels;
            if (st.quotaExceeded) ++c.quotaModels;
        }
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace cpa::proxy
