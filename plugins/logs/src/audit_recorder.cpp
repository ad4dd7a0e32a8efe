#include "audit_recorder.hpp"

#include <cpa/sdk/sha256.hpp>
#include <cpa/sdk/time_format.hpp>

#include <chrono>
#include <ctime>

namespace cpa::logs {

namespace {

bool isWrite(const sdk::Request& req) {
    if (req.access() != sdk::Access::Management) return false;
    const sdk::Method m = req.method();
    return m == sdk::Method::Post || m == sdk::Method::Put || m == sdk::Method::Patch || m == sdk::Method::Delete;
}

// The management key as the management API reads it (Bearer or X-Management-Key).
std::string presentedKey(const sdk::Request& req) {
    if (auto auth = req.header("Authorization")) {
        std::string v = *auth;
        if (v.size() > 7 && (v.compare(0, 7, "Bearer ") == 0 || v.compare(0, 7, "bearer ") == 0)) return v.substr(7);
        return v;
    }
    return req.header("X-Management-Key").value_or("");
}

std::string utcNow() {
    return sdk::formatRfc3339(sdk::utcTime(std::chrono::system_clock::now()), sdk::TimeFraction::Millis);
}

void listChanges(const std::string& key, const sdk::Value& before, const sdk::Value& after,
                 std::vector<std::string>& out) {
    const std::size_t nb = before.isArray() ? before.size() : 0;
    const std::size_t na = after.isArray() ? after.size() : 0;
    for (std::size_t i = 0; i < std::max(nb, na); ++i) {
        const sdk::Value* b = i < nb ? &before.asArray()[i] : nullptr;
        const sdk::Value* a = i < na ? &after.asArray()[i] : nullptr;
        if (a && b && *a == *b) continue;
        std::string item = key + "[" + std::to_string(i) + "]";
        const sdk::Value* named = a ? a : b;
        if (const sdk::Value* n = named->find("name"); n && n->isString()) item += " (" + n->asString() + ")";
        out.push_back(std::move(item));
    }
}

}  // namespace

std::vector<std::string> changedConfigEntries(const sdk::Value& before, const sdk::Value& after) {
    static const sdk::Value kNull;
    std::vector<std::string> out;
    auto diff = [&](const std::string& key, const sdk::Value& b, const sdk::Value& a) {
        if (b == a) return;
        if (b.isArray() || a.isArray()) {
            listChanges(key, b.isArray() ? b : sdk::Value::array(), a.isArray() ? a : sdk::Value::array(), out);
        } else {
            out.push_back(key);
        }
    };
    if (after.isObject()) {
        for (const auto& [k, v] : after.asObject()) {
            const sdk::Value* b = before.find(k);
            diff(k, b ? *b : kNull, v);
        }
    }
    if (before.isObject()) {
        for (const auto& [k, v] : before.asObject())
            if (!after.find(k)) diff(k, v, kNull);
    }
    return out;
}

std::string keyFingerprint(const std::string& key) {
    if (key.empty()) return "";
    return sdk::sha256Hex(key).substr(0, 8);
}

sdk::Next AuditRecorder::onRequest(sdk::Request& req, sdk::Response&) {
    if (!isWrite(req)) return sdk::Next::Continue;
    sdk::SnapshotPtr snap = config_.snapshot();
    std::lock_guard lock(mutex_);
    before_[&req] = std::move(snap);
    return sdk::Next::Continue;
}

void AuditRecorder::onComplete(const sdk::Request& req, const sdk::Response& res) noexcept {
    if (!isWrite(req)) return;
    try {
        sdk::SnapshotPtr before;
        {
            std::lock_guard lock(mutex_);
            if (auto it = before_.find(&req); it != before_.end()) {
                before = std::move(it->second);
                before_.erase(it);
            }
        }
        sdk::Value changed = sdk::Value::array();
        // A write that passed the guard: compare the config around it (another
        // write landing in between would be listed here too).
        if (before) {
            const sdk::SnapshotPtr after = config_.snapshot();
            if (after && after != before)
                for (std::string& c : changedConfigEntries(before->root(), after->root())) changed.push(std::move(c));
        }
        // Entries named in the query; only these names, as others may carry secrets (?api-key=).
        sdk::Value query = sdk::Value::object();
        for (const char* name : {"name", "index", "provider"})
            if (auto v = req.query(name)) query.set(name, *v);

        sdk::Value entry = sdk::Value::object({
            {"time", utcNow()},
            {"method", std::string(sdk::methodName(req.method()))},
            {"path", req.path()},
            {"status", static_cast<long long>(res.status())},
            {"peer", req.peerAddress()},
            {"client_ip", req.clientIp()},
            {"key", keyFingerprint(presentedKey(req))},
            {"request_id", req.requestId()},
            {"changed", std::move(changed)},
        });
        if (query.size() > 0) entry.set("query", std::move(query));
        log_->append(std::move(entry));
    } catch (...) {
        // Auditing must never fail the request that was already answered.
    }
}

}  // namespace cpa::logs
