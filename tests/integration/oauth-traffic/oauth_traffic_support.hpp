#pragma once
// The oauth-traffic suite's server: auth dir, fake token endpoint, fake
// Claude and Codex upstreams, all on loopback; auth-file and client helpers.
#include "fake_upstream.hpp"
#include "integration_support.hpp"

#include <Poco/JSON/Array.h>

#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace cpa::test::oauth {

inline const HeaderList kMgmt = {{"Authorization", "Bearer mgmt-secret"}};
inline const HeaderList kClient = {{"Authorization", "Bearer sk-client"}, {"Content-Type", "application/json"}};
inline const std::string kClaudeModel = "claude-sonnet-4-5-20250929";
inline const std::string kCodexModel = "gpt-5.4";

inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return done();
}

/// RFC 3339 UTC of now + `seconds`.
inline std::string rfc3339In(std::int64_t seconds) {
    const std::time_t t = std::time(nullptr) + seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/// A Claude auth file as the login writes it; `expiresIn` seconds from now (negative: expired).
inline std::string claudeFile(const std::string& access, std::int64_t expiresIn, const std::string& extra = "") {
    return R"({"access_token":")" + access + R"(","email":"a@example.com","expired":")" + rfc3339In(expiresIn) +
           R"(","id_token":"","last_refresh":")" + rfc3339In(-3600) + R"(","refresh_token":"rt-1","type":"claude")" +
           extra + "}\n";
}

inline std::string codexFile(const std::string& access, std::int64_t expiresIn) {
    return R"({"access_token":")" + access + R"(","account_id":"acct-7","email":"c@example.com","expired":")" +
           rfc3339In(expiresIn) + R"(","id_token":"","refresh_token":"rt-c","type":"codex"})" + "\n";
}

/// The token endpoint's answer to a refresh.
inline UpstreamReply tokenReply(const std::string& access, const std::string& refresh = "rt-2", int expiresIn = 28800) {
    UpstreamReply r;
    r.body = R"({"access_token":")" + access + R"(","refresh_token":")" + refresh +
             R"(","expires_in":)" + std::to_string(expiresIn) +
             R"(,"token_type":"Bearer","account":{"email_address":"a@example.com"}})";
    return r;
}

inline UpstreamReply claudeMessage(const std::string& text = "hello") {
    UpstreamReply r;
    r.body = R"({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":")" +
             text + R"("}],"stop_reason":"end_turn","usage":{"input_tokens":7,"output_tokens":3}})";
    return r;
}

inline unsigned fileMode(const std::filesystem::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

struct TrafficServer {
    TempDir root{"cpa-oauth-traffic"};
    std::filesystem::path auth;
    FakeUpstream tokens;  ///< /v1/oauth/token (claude) and /oauth/token (codex)
    FakeUpstream claude;
    FakeUpstream codex;
    FakeUpstream codeAssist;  ///< Gemini CLI's Cloud Code Assist (issue 21)
    FakeUpstream kimi;
    FakeUpstream antigravity;  ///< Antigravity's Code Assist (issue 21)
    std::unique_ptr<ServerProcess> server;

    /// `extra`: more top-level config; `loginExtra`: more `oauth-login` members
    /// (indented by two). `beforeStart` scripts the fakes before the server runs:
    /// the background refresh (oauth-executors.md §2.1) calls the token endpoint
    /// as soon as the server starts when a file is due.
    explicit TrafficServer(const std::vector<std::pair<std::string, std::string>>& files = {},
                           const std::string& extra = "", const std::string& loginExtra = "",
                           const std::function<void(TrafficServer&)>& beforeStart = {}) {
        auth = root.path() / "auth";
        std::filesystem::create_directories(auth);
        for (const auto& [name, text] : files) put(name, text);
        ServerProcessOptions o;
        o.configText = loopbackConfig(
            "api-keys:\n  - \"sk-client\"\n"
            "remote-management:\n  secret-key: \"mgmt-secret\"\n"
            "usage-statistics-enabled: true\n"
            "auth-dir: \"" + auth.string() + "\"\n"
            "oauth-upstreams:\n"
            "  claude: \"" + claude.baseUrl() + "\"\n"
            "  codex: \"" + codex.baseUrl() + "/backend-api/codex\"\n"
            "  gemini-cli: \"" + codeAssist.baseUrl() + "\"\n"
            "  kimi: \"" + kimi.baseUrl() + "/coding\"\n"
            "  antigravity: \"" + antigravity.baseUrl() + "\"\n"
            "oauth-login:\n" + loginExtra +
            "  gemini-cli:\n    token-url: \"" + tokens.baseUrl() + "/token\"\n"
            "  kimi:\n    token-url: \"" + tokens.baseUrl() + "/api/oauth/token\"\n"
            "  antigravity:\n    token-url: \"" + tokens.baseUrl() + "/token\"\n"
            "    code-assist-url: \"" + antigravity.baseUrl() + "\"\n"
            "    onboard-poll-interval-ms: 10\n"
            "  anthropic:\n    token-url: \"" + tokens.baseUrl() + "/v1/oauth/token\"\n"
            "  codex:\n    token-url: \"" + tokens.baseUrl() + "/oauth/token\"\n" + extra);
        o.modulesDir = kModulesDir;
        if (beforeStart) beforeStart(*this);
        server = std::make_unique<ServerProcess>(std::move(o));
    }
    void put(const std::string& name, const std::string& text) const {
        const auto tmp = auth / ("." + name + ".tmp");
        std::ofstream(tmp, std::ios::binary) << text;
        std::filesystem::rename(tmp, auth / name);
    }
    std::string fileText(const std::string& name) const { return readFile(auth / name); }
    HttpResponse mgmt(const std::string& method, const std::string& path, const std::string& body = {}) const {
        return httpRequest(server->port(), method, "/v0/management" + path, kMgmt, body);
    }
    HttpResponse chat(const std::string& model = kClaudeModel) const {
        return httpRequest(server->port(), "POST", "/v1/chat/completions", kClient,
                           R"({"model":")" + model + R"(","messages":[{"role":"user","content":"hi"}]})");
    }
    HttpResponse messages(const std::string& model = kClaudeModel, bool stream = false) const {
        return httpRequest(server->port(), "POST", "/v1/messages", kClient,
                           R"({"model":")" + model + R"(","max_tokens":16,"stream":)" + (stream ? "true" : "false") +
                               R"(,"messages":[{"role":"user","content":"hi"}]})");
    }
    /// The GET /auth-files entry named `name` (null when absent).
    Poco::JSON::Object::Ptr authFile(const std::string& name) const {
        auto r = mgmt("GET", "/auth-files");
        if (r.status != 200) return nullptr;
        auto files = jsonObject(r.body)->getArray("files");
        for (std::size_t i = 0; i < files->size(); ++i)
            if (files->getObject(i)->getValue<std::string>("name") == name) return files->getObject(i);
        return nullptr;
    }
};

/// The client key's `/usage` entry for `model` once it counts `requests`
/// requests; null when it does not within the wait (records are applied
/// asynchronously).
inline Poco::JSON::Object::Ptr usageOfModel(const TrafficServer& s, const std::string& model, int requests) {
    Poco::JSON::Object::Ptr found;
    eventually([&] {
        auto u = s.mgmt("GET", "/usage");
        if (u.status != 200) return false;
        auto apis = jsonObject(u.body)->getObject("usage")->getObject("apis");
        if (!apis || !apis->has("sk-client")) return false;
        found = apis->getObject("sk-client")->getObject("models")->getObject(model);
        return found && found->getValue<int>("total_requests") == requests;
    });
    return found && found->getValue<int>("total_requests") == requests ? found : nullptr;
}

}  // namespace cpa::test::oauth
