// Kimi: OAuth 2.0 device authorization grant (RFC 8628) with background
// polling (oauth.md §4.5).
#include "login/oauth_text.hpp"
#include "login/provider_flows.hpp"

#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace cpa::oauth::login {

namespace {

std::vector<std::pair<std::string, std::string>> kimiHeaders(const std::string& deviceId) {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return {{"Content-Type", "application/x-www-form-urlencoded"},
            {"Accept", "application/json"},
            {"X-Msh-Platform", "cli-proxy-api"},
            {"X-Msh-Version", "1.0.0"},
            {"X-Msh-Device-Name", host},
            {"X-Msh-Device-Model", "Linux amd64"},
            {"X-Msh-Device-Id", deviceId}};
}

std::int64_t intOf(const cpa::sdk::Value& o, std::string_view key) {
    const cpa::sdk::Value* v = o.find(key);
    return v == nullptr ? 0 : v->isDouble() ? static_cast<std::int64_t>(v->asDouble()) : v->intOr(0);
}

}  // namespace

KimiDevice requestKimiDevice(LoginEngine& engine, const KimiProvider& p) {
    KimiDevice d;
    d.deviceId = randomUuid();
    FetchRequest req;
    req.method = "POST";
    req.url = p.deviceAuthorizationUrl;
    req.headers = kimiHeaders(d.deviceId);
    req.body = formEncode({{"client_id", p.clientId}});
    const FetchResult res = engine.fetch(req);
    if (res.status != 200) throw std::runtime_error("device authorization answered " + std::to_string(res.status));
    const cpa::sdk::Value o = parseObject(res.body);
    d.deviceCode = stringMember(o, "device_code");
    d.userCode = stringMember(o, "user_code");
    d.verificationUrl = stringMember(o, "verification_uri_complete");
    if (d.verificationUrl.empty()) d.verificationUrl = stringMember(o, "verification_uri");
    d.expiresIn = intOf(o, "expires_in");
    d.interval = intOf(o, "interval");
    if (d.deviceCode.empty()) throw std::runtime_error("device authorization without device_code");
    return d;
}

void runKimiFlow(LoginEngine& engine, const KimiProvider& p, const std::string& state, const KimiDevice& device) {
    const Millis interval = std::max(Millis(device.interval * 1000), p.minPollInterval);
    Millis maxWait = p.maxPoll;
    if (device.expiresIn > 0) maxWait = std::min(maxWait, Millis(device.expiresIn * 1000));
    const auto deadline = std::chrono::steady_clock::now() + maxWait;
    const std::string form = formEncode({{"client_id", p.clientId},
                                         {"device_code", device.deviceCode},
                                         {"grant_type", "urn:ietf:params:oauth:grant-type:device_code"}});
    for (;;) {
        if (!engine.tasks().sleepFor(interval)) return;  // module stopping
        // Stops when the session ended (expired, removed) behind our back.
        if (!engine.sessions().isPending(state, "kimi")) return;
        if (std::chrono::steady_clock::now() >= deadline) {
            engine.log().warning("kimi login " + state + ": device code expired");
            return engine.fail(state, "Authentication failed");
        }
        // The device flow may outlive the session TTL: keep it alive.
        engine.sessions().touch(state, engine.settings().sessionTtl);
        FetchResult res;
        try {
            FetchRequest req;
            req.method = "POST";
            req.url = p.tokenUrl;
            req.headers = kimiHeaders(device.deviceId);
            req.body = form;
            res = engine.fetch(req);
        } catch (const std::exception& e) {
            engine.log().warning(std::string("kimi login: token poll failed: ") + e.what());
            return engine.fail(state, "Authentication failed");
        }
        std::string error;
        try {
            error = stringMember(parseObject(res.body), "error");
        } catch (const std::exception&) {
            error = "invalid_response";
        }
        if (error == "authorization_pending" || error == "slow_down") continue;
        if (!error.empty() || res.status != 200) {
            engine.log().warning("kimi login " + state + ": " + (error.empty() ? "token endpoint failure" : error));
            return engine.fail(state, "Authentication failed");
        }
        Credential cred;
        try {
            cred = kimiCredential(res.body, device.deviceId, std::chrono::system_clock::now());
        } catch (const std::exception& e) {
            engine.log().warning(std::string("kimi login: ") + e.what());
            return engine.fail(state, "Authentication failed");
        }
        if (engine.save(state, cred, "Failed to save authentication tokens")) engine.succeed(state);
        return;
    }
}

}  // namespace cpa::oauth::login
