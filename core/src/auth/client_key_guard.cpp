#include "auth/client_key_guard.hpp"

#include "auth/constant_time.hpp"

#include <cpa/sdk/text.hpp>

#include <atomic>
#include <set>

namespace cpa::core {

namespace {

std::string scalarText(const sdk::Value& v) {
    if (v.isString()) return v.asString();
    if (v.isInt()) return std::to_string(v.asInt());
    return {};
}

sdk::Next reject(sdk::Response& res, const char* message) {
    res.json(401, sdk::Value::object({{"error", message}}));
    return sdk::Next::Stop;
}

}  // namespace

namespace {
std::atomic<std::uint64_t> gNextInstance{1};
}  // namespace

ClientKeyGuard::ClientKeyGuard(sdk::ConfigStore& config) : config_(config), instance_(gNextInstance.fetch_add(1)) {}

std::vector<std::string> ClientKeyGuard::normaliseKeys(const sdk::Value* list) {
    std::vector<std::string> keys;
    if (!list || !list->isArray()) return keys;
    std::set<std::string> seen;
    for (const sdk::Value& v : list->asArray()) {
        std::string k = sdk::trimAscii(scalarText(v));
        if (!k.empty() && seen.insert(k).second) keys.push_back(std::move(k));
    }
    return keys;
}

std::vector<ClientKeyGuard::Candidate> ClientKeyGuard::candidates(const sdk::Request& req) {
    std::vector<Candidate> out;
    out.reserve(5);
    std::string auth = req.header("Authorization").value_or("");
    if (const auto space = auth.find(' '); space != std::string::npos &&
                                           sdk::iequals(std::string_view(auth).substr(0, space), "bearer")) {
        auth = sdk::trimAscii(std::string_view(auth).substr(space + 1));
    }
    out.push_back({std::move(auth), "authorization"});
    out.push_back({req.header("X-Goog-Api-Key").value_or(""), "x-goog-api-key"});
    out.push_back({req.header("X-Api-Key").value_or(""), "x-api-key"});
    out.push_back({req.query("key").value_or(""), "query-key"});
    out.push_back({req.query("auth_token").value_or(""), "query-auth-token"});
    return out;
}

std::shared_ptr<const std::vector<std::string>> ClientKeyGuard::keysFor(const sdk::ConfigSnapshot& snap) {
    // Per thread first: with many request threads on few cores a shared lock
    // per request turns into a convoy whenever its holder is preempted.
    thread_local struct {
        std::uint64_t instance = 0;
        std::uint64_t generation = 0;
        std::shared_ptr<const std::vector<std::string>> keys;
    } tCache;
    if (tCache.instance == instance_ && tCache.generation == snap.generation() && tCache.keys) return tCache.keys;
    std::lock_guard lock(cacheMutex_);
    if (!cachedKeys_ || cachedGeneration_ != snap.generation()) {
        cachedKeys_ = std::make_shared<const std::vector<std::string>>(normaliseKeys(snap.find("api-keys")));
        cachedGeneration_ = snap.generation();
    }
    tCache.instance = instance_;
    tCache.generation = cachedGeneration_;
    tCache.keys = cachedKeys_;
    return cachedKeys_;
}

sdk::Next ClientKeyGuard::check(sdk::Request& req, sdk::Response& res) {
    const sdk::SnapshotPtr snap = config_.snapshot();
    const auto keys = keysFor(*snap);
    if (keys->empty()) return sdk::Next::Continue;  // authentication disabled: no principal

    bool anyPresented = false;
    for (const Candidate& c : candidates(req)) {
        if (c.value.empty()) continue;
        anyPresented = true;
        // Every key is compared, so timing does not reveal which one matched.
        const std::string* matched = nullptr;
        for (const std::string& key : *keys)
            if (constantTimeEquals(c.value, key) && !matched) matched = &key;
        if (matched) {
            req.setAttribute(std::string(kPrincipalAttribute), sdk::Value(*matched));
            req.setAttribute(std::string(kSourceAttribute), sdk::Value(std::string(c.source)));
            return sdk::Next::Continue;
        }
    }
    return reject(res, anyPresented ? "Invalid API key" : "Missing API key");
}

}  // namespace cpa::core
