// GET /v0/management/auth-files/models (auth-files.md §4) through the real
// server: config credentials' models come from the proxy module's registry;
// the IDs are computed with the SDK's identity helpers, as the proxy does.
#include "config_credentials.hpp"
#include "integration_support.hpp"

#include <cpa/sdk/credential_identity.hpp>
#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace cpa::test {
namespace {

const HeaderList kMgmt = {{"Authorization", "Bearer models-secret"}};

// Flow-style YAML is JSON: the same text configures the server and feeds
// provider-keys' synthesizeConfigCredentials for the expected IDs.
const std::string kGemini =
    R"([{"api-key":"gk-models-1","models":[{"name":"gemini-upstream-z","alias":"zeta"},{"name":"alpha-model"}]}])";
const std::string kCompat =
    R"([{"name":"Acme","base-url":"http://127.0.0.1:9/v1","api-key-entries":[{"api-key":"ok-1"}],)"
    R"("models":[{"name":"x-upstream","alias":"x"}]}])";

std::string providerJson(const std::string& gemini) {
    return R"({"gemini-api-key":)" + gemini + R"(,"openai-compatibility":)" + kCompat + "}";
}

std::string configText(const std::filesystem::path& auth, const std::string& gemini) {
    return loopbackConfig("remote-management:\n  secret-key: \"models-secret\"\nauth-dir: \"" + auth.string() +
                          "\"\ngemini-api-key: " + gemini + "\nopenai-compatibility: " + kCompat + "\n");
}

/// ID of the first credential of `family` the data plane synthesises.
std::string credentialId(const std::string& json, const std::string& family) {
    for (const auto& c : provider_keys::synthesizeConfigCredentials(sdk::parseJson(json)))
        if (c.family == family) return c.id;
    throw std::runtime_error("no " + family + " credential");
}

struct ModelsServer {
    TempDir root{"cpa-auth-file-models"};
    std::filesystem::path auth = root.path() / "auth";
    std::unique_ptr<ServerProcess> server;

    explicit ModelsServer(const char* modulesDir) {
        std::filesystem::create_directories(auth);
        std::ofstream(auth / "alpha.json") << R"({"type":"claude","email":"a@example.com"})";
        ServerProcessOptions o;
        o.configText = configText(auth, kGemini);
        o.modulesDir = modulesDir;
        server = std::make_unique<ServerProcess>(std::move(o));
    }
    HttpResponse models(const std::string& query) {
        return httpRequest(server->port(), "GET", "/v0/management/auth-files/models" + query, kMgmt);
    }
};

const std::string kGeminiModels =
    R"({"models":[{"display_name":"gemini-upstream-z","id":"zeta","owned_by":"google","type":"gemini"},)"
    R"({"display_name":"alpha-model","id":"alpha-model","owned_by":"google","type":"gemini"}]})";

TEST(AuthFileModels, ConfigCredentialsListTheirRegisteredModels) {
    ModelsServer s(kModulesDir);
    const std::string gemini = credentialId(providerJson(kGemini), "gemini-api-key");
    const std::string compat = credentialId(providerJson(kGemini), "openai-compatibility");
    ASSERT_EQ(gemini.rfind("gemini:", 0), 0u) << gemini;

    auto r = s.models("?name=" + gemini);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, kGeminiModels);
    r = s.models("?name=" + compat);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"models":[{"display_name":"x","id":"x","owned_by":"Acme","type":"openai-compatibility"}]})");
}

TEST(AuthFileModels, MissingNameUnknownNameAndFileCredentials) {
    ModelsServer s(kModulesDir);
    auto r = s.models("");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"name is required"})");
    r = s.models("?name=");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"name is required"})");
    r = s.models("?name=gemini:000000000000");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"models":[]})");
    // A Claude auth file is routed (issue 20): the claude catalogue.
    r = s.models("?name=alpha.json");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find(R"("id":"claude-sonnet-4-5-20250929","owned_by":"anthropic","type":"claude")"),
              std::string::npos) << r.body;
    EXPECT_EQ(httpRequest(s.server->port(), "GET", "/v0/management/auth-files/models?name=alpha.json").status, 401);
}

TEST(AuthFileModels, FollowsConfigReloads) {
    ModelsServer s(kModulesDir);
    const std::string newGemini = R"([{"api-key":"gk-models-1","models":[{"name":"reloaded-model"}]}])";
    const std::string id = credentialId(providerJson(kGemini), "gemini-api-key");
    ASSERT_EQ(id, credentialId(providerJson(newGemini), "gemini-api-key"));  // same key: same ID
    ASSERT_EQ(s.models("?name=" + id).body, kGeminiModels);

    const auto tmp = s.server->configPath().string() + ".tmp";
    std::ofstream(tmp) << configText(s.auth, newGemini);
    std::filesystem::rename(tmp, s.server->configPath());
    const std::string want =
        R"({"models":[{"display_name":"reloaded-model","id":"reloaded-model","owned_by":"google","type":"gemini"}]})";
    std::string got;
    for (int i = 0; i < 200 && got != want; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
        got = s.models("?name=" + id).body;
    }
    EXPECT_EQ(got, want);
}

TEST(AuthFileModels, WithoutTheProxyModuleNoCredentialHasModels) {
    ModelsServer s(CPA_TEST_OAUTH_ONLY_MODULES_DIR);
    const std::string gemini = credentialId(providerJson(kGemini), "gemini-api-key");
    auto r = s.models("?name=" + gemini);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"models":[]})");
    r = s.models("");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"name is required"})");
}

}  // namespace
}  // namespace cpa::test
