#include "auth/management_guard.hpp"

#include "auth/constant_time.hpp"

#include <cpa/sdk/json.hpp>

#include <cpa/sdk/text.hpp>

namespace cpa::core {


ManagementGuard::ManagementGuard(sdk::ConfigStore& config, ManagementSecrets secrets, sdk::BuildInfo build,
                                 KeyVerifier::BcryptFn bcrypt)
    : config_(config), secrets_(std::move(secrets)), build_(std::move(build)), verifier_(std::move(bcrypt)) {
    if (enabled(*config_.snapshot())) everEnabled_ = true;
}

bool ManagementGuard::enabled(const sdk::ConfigSnapshot& snap) const {
    return !snap.getString("remote-management.secret-key", "").empty() || !secrets_.envSecret.empty() ||
           !secrets_.localPassword.empty();
}

std::string ManagementGuard::presentedKey(const sdk::Request& req) { return sdk::presentedManagementKey(req); }

sdk::Next ManagementGuard::reject(sdk::Response& res, int status, const std::string& message) {
    res.json(status, sdk::Value::object({{"error", message}}));
    return sdk::Next::Stop;
}

sdk::Next ManagementGuard::banned(sdk::Response& res, BanList::Clock::duration remaining) {
    return reject(res, 403,
                  "IP banned due to too many failed attempts. Try again in " + BanList::formatRemaining(remaining));
}

sdk::Next ManagementGuard::check(sdk::Request& req, sdk::Response& res) {
    const sdk::SnapshotPtr snap = config_.snapshot();
    // One lookup of the secret serves both enabled() and verification.
    const std::string secretHash = snap->getString("remote-management.secret-key", "");
    if (secretHash.empty() && secrets_.envSecret.empty() && secrets_.localPassword.empty()) {
        // Never enabled since start: the group does not exist (framework 404).
        // Enabled once, then switched off by a reload: 404 with an empty body.
        if (everEnabled_) {
            res.setBody("", "text/plain; charset=utf-8");
            res.setStatus(404);
        } else {
            res.text(404, "404 page not found");
        }
        return sdk::Next::Stop;
    }
    // Same rule as enabled(). A load first: no shared write on every request.
    if (!everEnabled_.load(std::memory_order_relaxed)) everEnabled_ = true;

    res.setHeader("X-CPA-VERSION", build_.version);
    res.setHeader("X-CPA-COMMIT", build_.commit);
    res.setHeader("X-CPA-BUILD-DATE", build_.buildDate);

    const std::string& ip = req.clientIp();
    const bool local = isLocal(ip);
    const bool allowRemote =
        !secrets_.envSecret.empty() || snap->getBool("remote-management.allow-remote", false);

    if (auto remaining = bans_.activeBan(ip)) return banned(res, *remaining);
    if (!local && !allowRemote) return reject(res, 403, "remote management disabled");
    // A local client with the local password needs no configured secret.
    const bool localPasswordUsable = local && !secrets_.localPassword.empty();
    if (secretHash.empty() && secrets_.envSecret.empty() && !localPasswordUsable) {
        return reject(res, 403, "remote management key not set");
    }

    const std::string presented = presentedKey(req);
    if (presented.empty()) {
        bans_.recordFailure(ip);
        return reject(res, 401, "missing management key");
    }
    if (localPasswordUsable && constantTimeEquals(presented, secrets_.localPassword)) {
        bans_.recordSuccess(ip);
        return sdk::Next::Continue;
    }
    if (!secrets_.envSecret.empty() && constantTimeEquals(presented, secrets_.envSecret)) {
        bans_.recordSuccess(ip);
        return sdk::Next::Continue;
    }
    if (secretHash.empty()) {
        bans_.recordFailure(ip);
        return reject(res, 401, "invalid management key");
    }
    if (verifier_.acceptsCached(presented, secretHash)) {
        bans_.recordSuccess(ip);
        return sdk::Next::Continue;
    }
    // One check per IP at a time, its failure counted before bcrypt runs:
    // parallel guesses wait here and meet the ban instead of a bcrypt.
    if (auto remaining = bans_.beginCheck(ip)) return banned(res, *remaining);
    bool ok = false;
    try {
        ok = verifier_.verify(presented, secretHash);
    } catch (...) {
        bans_.finishCheck(ip, false);
        throw;
    }
    bans_.finishCheck(ip, ok);
    if (!ok) return reject(res, 401, "invalid management key");
    return sdk::Next::Continue;
}

}  // namespace cpa::core
