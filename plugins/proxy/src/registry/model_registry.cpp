#include "registry/model_registry.hpp"

#include "routing/model_name.hpp"

#include <algorithm>
#include <mutex>

namespace cpa::proxy {

namespace {
constexpr auto kQuotaWindow = std::chrono::minutes(5);
}

std::string ModelRegistry::keyFor(const Registration& r, const std::string& id) {
    return stripCredentialPrefix(id, r.prefix);
}

void ModelRegistry::registerCredential(const std::string& credId, const std::string& providerKey,
                                       const std::string& prefix, std::vector<sdk::Value> models) {
    std::unique_lock lock(mutex_);
    if (auto it = byCredential_.find(credId); it != byCredential_.end()) {
        for (const auto& [id, info] : it->second.models) credentialsById_[id].erase(credId);
    }
    for (auto it = marks_.begin(); it != marks_.end();) it = it->first.first == credId ? marks_.erase(it) : std::next(it);
    Registration reg{providerKey, prefix, {}, {}};
    for (sdk::Value& m : models) {
        const std::string id = m.find("id") ? m.find("id")->stringOr("") : std::string();
        if (id.empty()) continue;
        credentialsById_[id].insert(credId);
        lastInfo_[id] = m;
        if (reg.models.emplace(id, std::move(m)).second) reg.order.push_back(id);
    }
    byCredential_[credId] = std::move(reg);
    for (auto it = credentialsById_.begin(); it != credentialsById_.end();)
        it = it->second.empty() ? credentialsById_.erase(it) : std::next(it);
}

void ModelRegistry::unregisterCredential(const std::string& credId) {
    std::unique_lock lock(mutex_);
    auto it = byCredential_.find(credId);
    if (it == byCredential_.end()) return;
    for (const auto& [id, info] : it->second.models) {
        auto ids = credentialsById_.find(id);
        if (ids == credentialsById_.end()) continue;
        ids->second.erase(credId);
        if (ids->second.empty()) credentialsById_.erase(ids);
    }
    byCredential_.erase(it);
    for (auto m = marks_.begin(); m != marks_.end();) m = m->first.first == credId ? marks_.erase(m) : std::next(m);
}

bool ModelRegistry::offers(const std::string& credId, const std::string& modelId) const {
    std::shared_lock lock(mutex_);
    auto it = byCredential_.find(credId);
    return it != byCredential_.end() && it->second.models.count(modelId) != 0;
}

std::vector<sdk::Value> ModelRegistry::modelsOf(const std::string& credId) const {
    std::shared_lock lock(mutex_);
    auto it = byCredential_.find(credId);
    if (it == byCredential_.end()) return {};
    std::vector<sdk::Value> out;
    out.reserve(it->second.order.size());
    for (const std::string& id : it->second.order) out.push_back(it->second.models.at(id));
    return out;
}

std::vector<std::string> ModelRegistry::providersFor(const std::string& modelId) const {
    std::shared_lock lock(mutex_);
    auto ids = credentialsById_.find(modelId);
    if (ids == credentialsById_.end()) return {};
    // Most credentials first, ties by name: a flat count instead of a map (hot path).
    std::vector<std::pair<const std::string*, int>> counts;
    for (const std::string& cred : ids->second) {
        const std::string& provider = byCredential_.at(cred).provider;
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return *c.first == provider; });
        if (it == counts.end()) counts.emplace_back(&provider, 1);
        else ++it->second;
    }
    std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : *a.first < *b.first;
    });
    std::vector<std::string> out;
    out.reserve(counts.size());
    for (const auto& [p, n] : counts) out.push_back(*p);
    return out;
}

void ModelRegistry::suspend(const std::string& credId, const std::string& key, const std::string& reason) {
    std::unique_lock lock(mutex_);
    marks_[{credId, key}].suspendReason = reason;
}

void ModelRegistry::setQuota(const std::string& credId, const std::string& key, TimePoint now) {
    std::unique_lock lock(mutex_);
    marks_[{credId, key}].quotaAt = now;
}

void ModelRegistry::resume(const std::string& credId, const std::string& key) {
    std::unique_lock lock(mutex_);
    if (!marks_.empty()) marks_.erase({credId, key});  // every success lands here: no key copies when nothing is marked
}

ModelRegistry::Counts ModelRegistry::countsFor(const std::string& id, TimePoint now) const {
    Counts c;
    auto ids = credentialsById_.find(id);
    if (ids == credentialsById_.end()) return c;
    for (const std::string& cred : ids->second) {
        ++c.n;
        const auto m = marks_.find({cred, keyFor(byCredential_.at(cred), id)});
        if (m == marks_.end()) {
            ++c.free;
            continue;
        }
        const bool quota = m->second.quotaAt && now - *m->second.quotaAt < kQuotaWindow;
        const std::string& reason = m->second.suspendReason;
        if (quota) ++c.q;
        if (reason == "quota") ++c.c;
        else if (!reason.empty()) ++c.s;
        if (!quota && reason.empty()) ++c.free;
    }
    return c;
}

std::vector<sdk::Value> ModelRegistry::listed(TimePoint now) const {
    std::shared_lock lock(mutex_);
    std::vector<sdk::Value> out;
    for (const auto& [id, creds] : credentialsById_) {
        const Counts c = countsFor(id, now);
        const bool visible = c.n - c.q - c.s > 0 || (c.n > 0 && (c.q > 0 || c.c > 0) && c.s == 0);
        if (visible) out.push_back(lastInfo_.at(id));
    }
    return out;
}

std::optional<std::string> ModelRegistry::newestAvailable(TimePoint now) const {
    std::optional<std::string> best;
    std::int64_t bestCreated = -1;
    for (const sdk::Value& info : listed(now)) {
        std::shared_lock lock(mutex_);
        const std::string id = info.find("id")->stringOr("");
        const Counts c = countsFor(id, now);
        if (c.n - c.s - c.c <= 0) continue;
        const sdk::Value* created = info.find("created");
        const std::int64_t t = created ? created->intOr(0) : 0;
        if (t > bestCreated) bestCreated = t, best = id;
    }
    return best;
}

}  // namespace cpa::proxy
