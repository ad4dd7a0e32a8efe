#pragma once
// The middleware that writes an audit entry per management write (POST, PUT,
// PATCH, DELETE under Access::Management): method, path, the config keys and
// list entries it changed (by name, never a value), peer address, a short
// fingerprint of the key presented, the status. Refused writes are recorded
// too (nothing changed, the refusal's status).
#include "audit_log.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/http.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace cpa::logs {

/// Top-level keys whose value differs; for lists, the changed entries as
/// `key[i]` or `key[i] (name)` when the entry has a string `name`. Values never appear.
std::vector<std::string> changedConfigEntries(const sdk::Value& before, const sdk::Value& after);

/// The first 8 hex digits of SHA-256 of the key ("" for no key): enough to tell
/// keys apart in an audit trail, far too short to recover or verify one.
std::string keyFingerprint(const std::string& key);

class AuditRecorder final : public sdk::Middleware {
public:
    AuditRecorder(std::shared_ptr<AuditLog> log, sdk::ConfigStore& config) : log_(std::move(log)), config_(config) {}

    sdk::Next onRequest(sdk::Request& req, sdk::Response& res) override;
    void onComplete(const sdk::Request& req, const sdk::Response& res) noexcept override;

private:
    std::shared_ptr<AuditLog> log_;
    sdk::ConfigStore& config_;
    std::mutex mutex_;
    /// The config before each write in progress, by request object.
    std::unordered_map<const void*, sdk::SnapshotPtr> before_;
};

}  // namespace cpa::logs
