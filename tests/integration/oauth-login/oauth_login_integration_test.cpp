// End-to-end logins: auth-url → a simulated browser follows the URL to the
// fake provider and back to a callback → token exchange → get-auth-status
// turns ok → the credential file is in auth-dir. Failure paths end in
// `error` with nothing written.
#include "fake_oauth_provider.hpp"
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>

#include <sys/stat.h>

#include <thread>

using namespace cpa::test;
using namespace std::chrono_literals;

namespace {

const HeaderList kAuth = {{"Authorization", "Bearer login-secret"}};
const std::string kBase = "/v0/management";

std::uint16_t freePort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    const auto port = s.address().port();
    s.close();
    return port;
}

struct Ports {
    std::uint16_t anthropic = freePort(), codex = freePort(), gemini = freePort(), antigravity = freePort();
};

std::string providerBlock(const std::string& name, const FakeOAuthProvider& fake, const std::string& client,
                          std::uint16_t port, const std::string& callbackPath, const std::string& extra = "") {
    return "  " + name + ":\n    authorize-url: \"" + fake.url("/authorize") + "\"\n    client-id: \"" + client +
           "\"\n    redirect-uri: \"http://127.0.0.1:" + std::to_string(port) + callbackPath +
           "\"\n    callback-port: " + std::to_string(port) + "\n" + extra;
}

struct Options {
    std::uint16_t serverPort = 0;
    int sessionTtlMs = 600000;
};

std::string config(const FakeOAuthProvider& fake, const Ports& p, const std::filesystem::path& authDir,
                   const Options& o = {}) {
    const std::string google = "    client-secret: \"" + std::string(kGoogleSecret) + "\"\n    userinfo-url: \"" +
                               fake.url("/userinfo") + "\"\n    code-assist-url: \"" + fake.url("/codeassist") + "\"\n";
    return "host: \"127.0.0.1\"\nport: " + std::to_string(o.serverPort) +
           "\nremote-management:\n  secret-key: \"login-secret\"\nauth-dir: \"" + authDir.string() +
           "\"\noauth-login:\n  session-ttl-ms: " + std::to_string(o.sessionTtlMs) + "\n" +
           providerBlock("anthropic", fake, kAnthropicClient, p.anthropic, "/callback",
                         "    token-url: \"" + fake.url("/token/anthropic") + "\"\n") +
           providerBlock("codex", fake, kCodexClient, p.codex, "/auth/callback",
                         "    token-url: \"" + fake.url("/token/codex") + "\"\n") +
           providerBlock("gemini-cli", fake, kGeminiClient, p.gemini, "/oauth2callback",
                         "    token-url: \"" + fake.url("/token/gemini") + "\"\n" + google + "    projects-url: \"" +
                             fake.url("/projects") + "\"\n    service-usage-url: \"" + fake.url("/serviceusage") +
                             "\"\n") +
           providerBlock("antigravity", fake, kAntigravityClient, p.antigravity, "/oauth-callback",
                         "    token-url: \"" + fake.url("/token/antigravity") + "\"\n" + google) +
           "  kimi:\n    device-authorization-url: \"" + fake.url("/kimi/device") + "\"\n    token-url: \"" +
           fake.url("/kimi/token") + "\"\n    client-id: \"" + kKimiClient + "\"\n    min-poll-interval-ms: 50\n";
}

class OAuthLogin : public ::testing::Test {
protected:
    void start(const Options& o = {}) {
        ServerProcessOptions opts;
        opts.configText = config(fake, ports, auth.path() / "auths", o);
        opts.modulesDir = kModulesDir;
        server = std::make_unique<ServerProcess>(opts);
    }
    std::uint16_t port() const { return server->port(); }

    /// GET {route} → (url, state).
    std::pair<std::string, std::string> login(const std::string& route) {
        const auto r = httpRequest(port(), "GET", kBase + route, kAuth);
        EXPECT_EQ(r.status, 200) << r.body;
        const auto o = jsonObject(r.body);
        EXPECT_EQ(o->getValue<std::string>("status"), "ok");
        return {o->getValue<std::string>("url"), o->getValue<std::string>("state")};
    }
    /// The browser at the provider: returns where it is redirected to.
    std::string consent(const std::string& url) {
        const Poco::URI u(url);
        const auto r = httpRequest(u.getPort(), "GET", u.getPathEtc());
        EXPECT_EQ(r.status, 302) << r.body;
        return r.header("Location").value_or("");
    }
    HttpResponse get(const std::string& path) { return httpRequest(port(), "GET", path, kAuth); }
    HttpResponse postCallback(const std::string& json) {
        return httpRequest(port(), "POST", kBase + "/oauth-callback",
                           {{"Authorization", "Bearer login-secret"}, {"Content-Type", "application/json"}}, json);
    }
    /// Polls get-auth-status until it leaves "wait".
    std::string finalStatus(const std::string& state) {
        std::string body;
        for (int i = 0; i < 400; ++i) {
            body = get(kBase + "/get-auth-status?state=" + state).body;
            if (body != R"({"status":"wait"})") return body;
            std::this_thread::sleep_for(25ms);
        }
        return body;
    }
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(auth.path() / "auths", ec)) {
            out.push_back(e.path().filename().string());
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    Poco::JSON::Object::Ptr file(const std::string& name) {
        const auto path = auth.path() / "auths" / name;
        struct stat st {};
        EXPECT_EQ(::stat(path.c_str(), &st), 0) << name;
        EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
        return jsonObject(readFile(path));
    }
    void expectListed(const std::string& name) {
        const auto r = get(kBase + "/auth-files");
        if (r.status == 200) {
            EXPECT_NE(r.body.find("\"" + name + "\""), std::string::npos) << r.body;
        }
    }

    TempDir auth{"cpa-oauth-login"};
    FakeOAuthProvider fake;
    Ports ports;
    std::unique_ptr<ServerProcess> server;
};

}  // namespace

TEST_F(OAuthLogin, AnthropicWithPastedRedirectUrl) {
    start();
    const auto [url, state] = login("/anthropic-auth-url");
    EXPECT_EQ(get(kBase + "/get-auth-status?state=" + state).body, R"({"status":"wait"})");
    const std::string location = consent(url);
    EXPECT_EQ(location.rfind("http://127.0.0.1:" + std::to_string(ports.anthropic) + "/callback?code=", 0), 0u);
    const auto r = postCallback(R"({"provider":"claude","redirect_url":")" + location + "\"}");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(finalStatus(state), R"({"status":"ok"})") << fake.rejections();
    EXPECT_EQ(files(), std::vector<std::string>{"claude-user@example.com.json"});
    const auto f = file("claude-user@example.com.json");
    EXPECT_EQ(f->getValue<std::string>("type"), "claude");
    EXPECT_EQ(f->getValue<std::string>("access_token"), "sk-ant-oat-1");
    EXPECT_EQ(f->getValue<std::string>("refresh_token"), "sk-ant-ort-1");
    EXPECT_EQ(f->getValue<std::string>("email"), kEmail);
    EXPECT_EQ(f->getValue<std::string>("id_token"), "");
    EXPECT_FALSE(f->getValue<std::string>("expired").empty());
    expectListed("claude-user@example.com.json");
    // Replayed state: the flow is over, the replay is refused, nothing new.
    const auto replay = postCallback(R"({"provider":"anthropic","redirect_url":")" + location + "\"}");
    EXPECT_EQ(replay.status, 404) << replay.body;
    EXPECT_EQ(replay.body, R"({"status":"error","error":"unknown or expired state"})");
    EXPECT_EQ(httpRequest(port(), "GET", "/anthropic/callback?" + Poco::URI(location).getRawQuery()).status, 400);
    EXPECT_EQ(fake.tokenRequests(), 1);
    EXPECT_EQ(files().size(), 1u);
}

TEST_F(OAuthLogin, CodexThroughTheMainPortCallback) {
    start();
    const auto [url, state] = login("/codex-auth-url");
    const std::string location = consent(url);
    const auto cb = httpRequest(port(), "GET", "/codex/callback?" + Poco::URI(location).getRawQuery());
    EXPECT_EQ(cb.status, 200);
    EXPECT_NE(cb.body.find("Authentication successful"), std::string::npos);
    EXPECT_EQ(finalStatus(state), R"({"status":"ok"})") << fake.rejections();
    EXPECT_EQ(files(), std::vector<std::string>{"codex-user@example.com-plus.json"});
    const auto f = file("codex-user@example.com-plus.json");
    EXPECT_EQ(f->getValue<std::string>("type"), "codex");
    EXPECT_EQ(f->getValue<std::string>("account_id"), "acct-1");
    EXPECT_EQ(f->getValue<std::string>("access_token"), "codex-access");
    EXPECT_EQ(f->getValue<std::string>("email"), kEmail);
}

TEST_F(OAuthLogin, AnthropicWebUiThroughTheLocalForwarder) {
    start({freePort(), 600000});
    const auto [url, state] = login("/anthropic-auth-url?is_webui=true");
    const Poco::URI loc(consent(url));
    // The browser lands on the forwarder, which sends it to the main port.
    const auto hop = httpRequest(loc.getPort(), "GET", loc.getPathEtc());
    ASSERT_EQ(hop.status, 302) << hop.body;
    EXPECT_EQ(hop.header("Cache-Control").value_or(""), "no-store");
    const Poco::URI target(hop.header("Location").value_or(""));
    EXPECT_EQ(target.getPort(), port());
    EXPECT_EQ(target.getPath(), "/anthropic/callback");
    EXPECT_EQ(httpRequest(port(), "GET", target.getPathEtc()).status, 200);
    EXPECT_EQ(finalStatus(state), R"({"status":"ok"})") << fake.rejections();
    EXPECT_EQ(files(), std::vector<std::string>{"claude-user@example.com.json"});
    // The forwarder stops with its flow.
    for (int i = 0; i < 100; ++i) {
        try {
            httpRequest(ports.anthropic, "GET", "/callback");
        } catch (const std::exception&) {
            return;
        }
        std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "forwarder still listening";
}

TEST_F(OAuthLogin, GeminiCliWithProject) {
    start();
    const auto [url, state] = login("/gemini-cli-auth-url?project_id=proj-1");
    EXPECT_EQ(state.rfind("gem-", 0), 0u);
    const std::string location = consent(url);
    EXPECT_EQ(httpRequest(port(), "GET", "/google/callback?" + Poco::URI(location).getRawQuery()).status, 200);
    EXPECT_EQ(finalStatus(state), R"({"status":"ok"})") << fake.rejections();
    EXPECT_EQ(files(), std::vector<std::string>{"gemini-user@example.com-proj-1.json"});
    const std::string text = readFile(auth.path() / "auths" / "gemini-user@example.com-proj-1.json");
    EXPECT_EQ(text.rfind("{\n  \"auto\": false,\n  \"checked\": true,", 0), 0u) << text;
    const auto f = file("gemini-user@example.com-proj-1.json");
    EXPECT_EQ(f->getValue<std::string>("type"), "gemini");
    EXPECT_EQ(f->getValue<std::string>("project_id"), "proj-1");
    const auto tok = f->getObject("token");
    EXPECT_EQ(tok->getValue<std::string>("access_token"), "google-access");
    EXPECT_EQ(tok->getValue<std::string>("client_id"), kGeminiClient);
    EXPECT_EQ(tok->getValue<std::string>("universe_domain"), "googleapis.com");
}

TEST_F(OAuthLogin, Antigravity) {
    start();
    const auto [url, state] = login("/antigravity-auth-url");
    const std::string location = consent(url);
    const auto r = postCallback(R"({"provider":"anti-gravity","redirect_url":")" + location + "\"}");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(finalStatus(state), R"({"status":"ok"})") << fake.rejections();
    EXPECT_EQ(files(), std::vector<std::string>{"antigravity-user@example.com.json"});
    const auto f = file("antigravity-user@example.com.json");
    EXPECT_EQ(f->getValue<std::string>("type"), "antigravity");
    EXPECT_EQ(f->getValue<std::string>("refresh_token"), "google-refresh");
    EXPECT_EQ(f->getValue<int>("expires_in"), 3599);
    EXPECT_FALSE(f->getValue<bool>("disabled"));
}

TEST_F(OAuthLogin, KimiDeviceFlow) {
    fake.setKimiScript(2, "");
    start();
    const auto [url, state] = login("/kimi-auth-url");
    EXPECT_EQ(url, fake.url("/verify?user_code=ABCD"));
    EXPECT_EQ(state.rfind("kmi-", 0), 0u);
    EXPECT_EQ(finalStatus(state), R"({"status":"ok"})") << fake.rejections();
    EXPECT_EQ(fake.kimiPolls(), 3);
    const auto names = files();
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0].rfind("kimi-", 0), 0u);
    const auto f = file(names[0]);
    EXPECT_EQ(f->getValue<std::string>("type"), "kimi");
    EXPECT_EQ(f->getValue<std::string>("access_token"), "kimi-access");
    EXPECT_FALSE(f->getValue<std::string>("device_id").empty());
}

TEST_F(OAuthLogin, CancelledDeviceFlowEndsInError) {
    fake.setKimiScript(1, "access_denied");
    start();
    const auto [url, state] = login("/kimi-auth-url");
    EXPECT_EQ(finalStatus(state), R"({"status":"error","error":"Authentication failed"})");
    EXPECT_TRUE(files().empty());
}

TEST_F(OAuthLogin, WrongStateIsRefusedAndTheFlowKeepsWaiting) {
    start();
    const auto [url, state] = login("/codex-auth-url");
    const Poco::URI loc(consent(url));
    const std::string code = parseForm(loc.getRawQuery())["code"];
    const std::string wrong = std::string(32, 'a');
    EXPECT_EQ(httpRequest(port(), "GET", "/codex/callback?code=" + code + "&state=" + wrong).status, 400);
    const auto r = postCallback(R"({"provider":"codex","code":")" + code + R"(","state":")" + wrong + "\"}");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(get(kBase + "/get-auth-status?state=" + state).body, R"({"status":"wait"})");
    EXPECT_EQ(get(kBase + "/get-auth-status?state=" + wrong).body,
              R"({"status":"error","error":"unknown or expired state"})");
    EXPECT_EQ(fake.tokenRequests(), 0);
    EXPECT_TRUE(files().empty());
}

TEST_F(OAuthLogin, ExpiredSession) {
    start({0, 300});
    const auto [url, state] = login("/anthropic-auth-url");
    const std::string location = consent(url);
    std::this_thread::sleep_for(500ms);
    const auto r = postCallback(R"({"provider":"anthropic","redirect_url":")" + location + "\"}");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"status":"error","error":"unknown or expired state"})");
    EXPECT_EQ(finalStatus(state), R"({"status":"error","error":"unknown or expired state"})");
    EXPECT_EQ(fake.tokenRequests(), 0);
    EXPECT_TRUE(files().empty());
}

TEST_F(OAuthLogin, ProviderErrorInTheCallback) {
    fake.setAuthorizeOutcome("access_denied");
    start();
    const auto [url, state] = login("/anthropic-auth-url");
    const std::string location = consent(url);
    EXPECT_NE(location.find("error=access_denied"), std::string::npos);
    EXPECT_EQ(httpRequest(port(), "GET", "/anthropic/callback?" + Poco::URI(location).getRawQuery()).status, 200);
    EXPECT_EQ(finalStatus(state), R"({"status":"error","error":"Bad request"})");
    EXPECT_EQ(fake.tokenRequests(), 0);
    EXPECT_TRUE(files().empty());
}

TEST_F(OAuthLogin, TokenEndpointFailure) {
    fake.failTokenWith(500);
    start();
    const auto [url, state] = login("/codex-auth-url");
    const std::string location = consent(url);
    EXPECT_EQ(postCallback(R"({"provider":"openai","redirect_url":")" + location + "\"}").status, 200);
    EXPECT_EQ(finalStatus(state), R"({"status":"error","error":"Failed to exchange authorization code for tokens"})");
    EXPECT_EQ(fake.tokenRequests(), 1);
    EXPECT_TRUE(files().empty());
}

TEST_F(OAuthLogin, GoogleTokenFailureUsesGoogleMessage) {
    fake.failTokenWith(400);
    start();
    const auto [url, state] = login("/gemini-cli-auth-url?project_id=proj-1");
    const std::string location = consent(url);
    EXPECT_EQ(httpRequest(port(), "GET", "/google/callback?" + Poco::URI(location).getRawQuery()).status, 200);
    EXPECT_EQ(finalStatus(state), R"({"status":"error","error":"Failed to exchange token"})");
    EXPECT_TRUE(files().empty());
}

TEST_F(OAuthLogin, RoutesNeedTheManagementKey) {
    start();
    EXPECT_EQ(httpRequest(port(), "GET", kBase + "/anthropic-auth-url").status, 401);
    EXPECT_EQ(httpRequest(port(), "GET", kBase + "/get-auth-status?state=x").status, 401);
}

TEST_F(OAuthLogin, GeminiCliProjectSelection) {
    start();
    // No project_id: the first listed project, auto = true.
    auto [url, state] = login("/gemini-cli-auth-url");
    auto r = postCallback(R"({"provider":"google","redirect_url":")" + consent(url) + "\"}");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(finalStatus(state), R"({"status":"ok"})") << fake.rejections();
    auto f = file("gemini-user@example.com-proj-1.json");
    EXPECT_TRUE(f->getValue<bool>("auto"));
    EXPECT_TRUE(f->getValue<bool>("checked"));
    // ALL: every listed project, stored in the -all file.
    std::tie(url, state) = login("/gemini-cli-auth-url?project_id=all");
    r = postCallback(R"({"provider":"gemini","redirect_url":")" + consent(url) + "\"}");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(finalStatus(state), R"({"status":"ok"})") << fake.rejections();
    f = file("gemini-user@example.com-all.json");
    EXPECT_FALSE(f->getValue<bool>("auto"));
    EXPECT_EQ(f->getValue<std::string>("project_id"), "proj-1,proj-2");
    EXPECT_TRUE(f->getValue<bool>("checked"));
    // gemini-cli is not a callback provider name.
    std::tie(url, state) = login("/gemini-cli-auth-url");
    r = postCallback(R"({"provider":"gemini-cli","redirect_url":")" + consent(url) + "\"}");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"status":"error","error":"unsupported provider"})");
}

TEST_F(OAuthLogin, SecondWebUiLoginTakesOverTheForwarderPort) {
    start({freePort(), 600000});
    const auto first = login("/codex-auth-url?is_webui=1");
    const auto second = login("/codex-auth-url?is_webui=1");
    const Poco::URI loc(consent(second.first));
    const auto hop = httpRequest(loc.getPort(), "GET", loc.getPathEtc());
    ASSERT_EQ(hop.status, 302);
    EXPECT_EQ(httpRequest(port(), "GET", Poco::URI(hop.header("Location").value_or("")).getPathEtc()).status, 200);
    EXPECT_EQ(finalStatus(second.second), R"({"status":"ok"})") << fake.rejections();
    // The other login of the provider is not swept away by this success.
    EXPECT_EQ(get(kBase + "/get-auth-status?state=" + first.second).body, R"({"status":"wait"})");
}
