#include "key_usage.hpp"

#include "config_credentials.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/key_list_resource.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

namespace cpa::provider_keys {

namespace {

using sdk::Value;

std::string field(const Value& v, const char* key) {
    const Value* f = v.isObject() ? v.find(key) : nullptr;
    return f && f->isString() ? f->asString() : std::string();
}

}  // namespace

void KeyUsage::refresh(const Value& root) {
    std::map<std::string, std::string> live;
    for (const auto& c : synthesizeConfigCredentials(root)) live.emplace(c.id, c.authIndex);
    std::set<std::string> indices;
    for (const auto& [id, index] : live) indices.insert(index);
    std::lock_guard lock(mutex_);
    idToIndex_ = std::move(live);
    std::erase_if(counters_, [&](const auto& c) { return !indices.count(c.first); });
}

void KeyUsage::record(const Value& event, std::time_t now) {
    std::string index = sdk::trimSpace(field(event, "auth_index"));
    const std::string id = sdk::trimSpace(field(event, "auth_id"));
    const Value* failedV = event.isObject() ? event.find("failed") : nullptr;
    const bool failed = failedV && failedV->isBool() && failedV->asBool();
    const std::int64_t window = static_cast<std::int64_t>(now) / kBucketSeconds;
    std::lock_guard lock(mutex_);
    const bool known = std::any_of(idToIndex_.begin(), idToIndex_.end(), [&](const auto& e) { return e.second == index; });
    if (!known) {
        const auto it = idToIndex_.find(id);
        if (it == idToIndex_.end()) return;  // not a config credential (OAuth files, removed keys)
        index = it->second;
    }
    Counter& c = counters_[index];
    auto& bucket = c.buckets[window];
    (failed ? c.failed : c.success) += 1;
    (failed ? bucket.second : bucket.first) += 1;
    while (!c.buckets.empty() && c.buckets.begin()->first <= window - kBuckets) c.buckets.erase(c.buckets.begin());
}

std::string KeyUsage::bucketLabel(std::time_t start) {
    const std::time_t end = start + kBucketSeconds;
    std::tm a{}, b{};
    localtime_r(&start, &a);
    localtime_r(&end, &b);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", a.tm_hour, a.tm_min, b.tm_hour, b.tm_min);
    return buf;
}

Value KeyUsage::snapshot(const Value& root, std::time_t now) const {
    const std::int64_t window = static_cast<std::int64_t>(now) / kBucketSeconds;
    // Grouped by provider, then "<base-url>|<api-key>"; credentials sharing both are summed.
    struct Sum {
        std::int64_t success = 0, failed = 0;
        std::array<std::pair<std::int64_t, std::int64_t>, kBuckets> buckets{};
    };
    std::map<std::string, std::map<std::string, Sum>> groups;
    std::lock_guard lock(mutex_);
    for (const auto& cred : synthesizeConfigCredentials(root)) {
        if (cred.apiKey.empty()) continue;  // key-less openai-compatibility providers
        std::string provider = sdk::trimSpace(cred.providerKey);
        std::transform(provider.begin(), provider.end(), provider.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        if (provider.empty()) provider = "unknown";
        Sum& sum = groups[provider][cred.baseUrl + "|" + cred.apiKey];
        const auto it = counters_.find(cred.authIndex);
        if (it == counters_.end()) continue;
        sum.success += it->second.success;
        sum.failed += it->second.failed;
        for (int i = 0; i < kBuckets; ++i) {
            const auto b = it->second.buckets.find(window - (kBuckets - 1) + i);
            if (b == it->second.buckets.end()) continue;
            sum.buckets[static_cast<std::size_t>(i)].first += b->second.first;
            sum.buckets[static_cast<std::size_t>(i)].second += b->second.second;
        }
    }
    Value out = Value::object();
    for (const auto& [provider, entries] : groups) {
        Value byKey = Value::object();
        for (const auto& [key, sum] : entries) {
            Value recent = Value::array();
            for (int i = 0; i < kBuckets; ++i) {
                const auto start = static_cast<std::time_t>((window - (kBuckets - 1) + i) * kBucketSeconds);
                const auto& b = sum.buckets[static_cast<std::size_t>(i)];
                recent.push(Value::object({{"time", bucketLabel(start)}, {"success", b.first}, {"failed", b.second}}));
            }
            byKey.set(key, Value::object({{"success", sum.success}, {"failed", sum.failed}, {"recent_requests", recent}}));
        }
        out.set(provider, std::move(byKey));
    }
    return out;
}

}  // namespace cpa::provider_keys
