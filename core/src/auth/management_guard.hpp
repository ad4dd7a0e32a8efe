#pragma once
// Access control of /v0/management (management-api-core.md §1.3, §2 with
// deviation D1: the client IP is the socket peer unless it is a trusted proxy,
// which the HTTP core already resolved into Request::clientIp()).
#include "auth/ban_list.hpp"
#include "auth/key_verifier.hpp"
#include "http/access_guard.hpp"

#include <cpa/sdk/config.hpp>
#include <cpa/sdk/module.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace cpa::core {

struct ManagementSecrets {
    std::string envSecret;      ///< MANAGEMENT_PASSWORD, trimmed ("" = none)
    std::string localPassword;  ///< runtime-only password for local clients ("" = none)
};

class ManagementGuard : public AccessGuard {
public:
    ManagementGuard(sdk::ConfigStore& config, ManagementSecrets secrets, sdk::BuildInfo build,
                    KeyVerifier::BcryptFn bcrypt);

    sdk::Next check(sdk::Request& req, sdk::Response& res) override;

    /// Whether management routes are served for this snapshot (management-api-core.md §1.3 as recommended:
    /// secret-key, environment secret or local password).
    bool enabled(const sdk::ConfigSnapshot& snap) const;

    BanList& bans() { return bans_; }
    const KeyVerifier& verifier() const { return verifier_; }

    /// Extracts the presented key (management-api-core.md §2.2).
    static std::string presentedKey(const sdk::Request& req);
    static bool isLocal(const std::string& clientIp) { return clientIp == "127.0.0.1" || clientIp == "::1"; }

private:
    sdk::Next reject(sdk::Response& res, int status, const std::string& message);
    sdk::Next banned(sdk::Response& res, BanList::Clock::duration remaining);

    sdk::ConfigStore& config_;
    ManagementSecrets secrets_;
    sdk::BuildInfo build_;
    KeyVerifier verifier_;
    BanList bans_;
    std::atomic<bool> everEnabled_{false};
};

}  // namespace cpa::core
