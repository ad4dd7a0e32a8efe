// GET/PUT /config.yaml (management-api-core.md §5.3, D4/D5) and the other
// whole-config routes, through the module with the SDK fakes.
#include "fake_release_server.hpp"
#include "file_only_guard.hpp"
#include "module_fixture.hpp"

#include <crypt.h>

#include <cstring>
#include <memory>

namespace cpa::config {
namespace {

using sdk::Method;
using sdk::Value;
using test::json;
using test::ModuleFixture;

std::string bcrypt(const std::string& plain) {
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    crypt_gensalt_rn("$2a$", 4, nullptr, 0, salt, sizeof salt);
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    return crypt_rn(plain.c_str(), salt, data.get(), sizeof(crypt_data));
}

const std::string kHash = bcrypt("mgmt-key");

class ConfigYaml : public ModuleFixture {
protected:
    ConfigYaml()
        : ModuleFixture(Value::object(
              {{"port", 8317}, {"remote-management", Value::object({{"allow-remote", false}, {"secret-key", kHash}})}})) {}

    std::string doc(const std::string& extra, bool allowRemote = false, const std::string& secret = kHash) {
        return R"({"port":8317,"remote-management":{"allow-remote":)" + std::string(allowRemote ? "true" : "false") +
               R"(,"secret-key":")" + secret + "\"}" + extra + "}";
    }
};

TEST_F(ConfigYaml, GetServesTheFileBytesWithTheOriginalsHeaders) {
    const std::string text = "# comment\nport: 8317   # trailing\n  # indented comment\ndebug: true\n";
    writeFile("config.yaml", text);
    const auto r = mgmt(Method::Get, "/config.yaml");
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.body(), text);
    EXPECT_EQ(r.header("Content-Type"), "application/yaml; charset=utf-8");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
}

TEST_F(ConfigYaml, GetReportsAMissingOrUnreadableFile) {
    auto r = mgmt(Method::Get, "/config.yaml");
    EXPECT_EQ(r.status(), 404);
    EXPECT_EQ(json(r), R"({"error":"not_found","message":"config file not found"})");
    std::filesystem::create_directories(dir_ / "config.yaml");
    r = mgmt(Method::Get, "/config.yaml");
    EXPECT_EQ(r.status(), 500);
    EXPECT_EQ(r.bodyJson().find("error")->asString(), "read_failed");
}

TEST_F(ConfigYaml, PutReplacesTheDocument) {
    const auto r = mgmt(Method::Put, "/config.yaml", doc(R"(,"debug":true)"));
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(json(r), R"({"ok":true,"changed":["config"]})");
    EXPECT_TRUE(root().find("debug")->asBool());
    EXPECT_EQ(ctx_.config().snapshot()->text(), doc(R"(,"debug":true)"));
}

TEST_F(ConfigYaml, EmptyOrBlankBodyIsInvalidYaml) {
    for (const char* body : {"", "  \n\t\n"}) {
        const auto r = mgmt(Method::Put, "/config.yaml", body);
        EXPECT_EQ(r.status(), 400);
        EXPECT_EQ(json(r), R"({"error":"invalid_yaml","message":"empty body"})");
    }
    EXPECT_EQ(ctx_.config().writeCount(), 0u);
}

TEST_F(ConfigYaml, UnparsableBodyIsInvalidYamlWithTheParserMessage) {
    const auto r = mgmt(Method::Put, "/config.yaml", "{ not: valid");
    EXPECT_EQ(r.status(), 400);
    EXPECT_EQ(r.bodyJson().find("error")->asString(), "invalid_yaml");
    EXPECT_FALSE(r.bodyJson().find("message")->asString().empty());
    EXPECT_EQ(ctx_.config().writeCount(), 0u);
}

TEST_F(ConfigYaml, OwnKeysAreValidated) {
    auto r = mgmt(Method::Put, "/config.yaml", doc(R"(,"disable-image-generation":"maybe")"));
    EXPECT_EQ(r.status(), 400);
    EXPECT_NE(r.bodyJson().find("message")->asString().find("disable-image-generation"), std::string::npos);
    r = mgmt(Method::Put, "/config.yaml", doc(R"(,"latest-version-url":[1])"));
    EXPECT_EQ(r.status(), 400);
    for (const char* ok : {R"("chat")", "true", R"(" Off ")", "0"}) {
        EXPECT_EQ(mgmt(Method::Put, "/config.yaml", doc(std::string(R"(,"disable-image-generation":)") + ok)).status(),
                  200)
            << ok;
    }
}

TEST_F(ConfigYaml, FileOnlySettingsCannotChange) {
    for (const std::string& body : {doc("", true), doc("", false, ""), doc("", false, "another-key"),
                                   doc("", false, bcrypt("mgmt-key")), std::string(R"({"port":8317})")}) {
        const auto r = mgmt(Method::Put, "/config.yaml", body);
        EXPECT_EQ(r.status(), 422) << body;
        EXPECT_EQ(r.bodyJson().find("error")->asString(), "invalid_config");
        EXPECT_EQ(r.bodyJson().find("message")->asString(), std::string(kFileOnlyMessage));
    }
    EXPECT_EQ(ctx_.config().writeCount(), 0u);
    EXPECT_EQ(root().findPath("remote-management.secret-key")->asString(), kHash);
}

TEST_F(ConfigYaml, TheSameSecretInPlaintextIsAccepted) {
    EXPECT_EQ(mgmt(Method::Put, "/config.yaml", doc("", false, "mgmt-key")).status(), 200);
}

TEST_F(ConfigYaml, TheGuardOnlyActsDuringPut) {
    // Other writers (and reloads of external edits) may change the block.
    ctx_.config().reload(Value::object({{"remote-management", Value::object({{"allow-remote", true}})}}));
    EXPECT_TRUE(root().findPath("remote-management.allow-remote")->asBool());
}

TEST_F(ConfigYaml, AWriteFailureIsWriteFailed) {
    ctx_.config().failNextWrite("no space left on device");
    const auto r = mgmt(Method::Put, "/config.yaml", doc(R"(,"debug":true)"));
    EXPECT_EQ(r.status(), 500);
    EXPECT_EQ(json(r), R"({"error":"write_failed","message":"failed to write config"})");
    EXPECT_EQ(root().find("debug"), nullptr);
}

TEST_F(ConfigYaml, GetConfigServesTheViewOfTheCurrentSnapshot) {
    ASSERT_EQ(mgmt(Method::Put, "/config.yaml", doc(R"(,"api-keys":["k1"],"host":"h","auth-dir":"/a")")).status(), 200);
    const auto r = mgmt(Method::Get, "/config");
    EXPECT_EQ(r.status(), 200);
    const Value v = r.bodyJson();
    EXPECT_EQ(sdk::toJson(*v.find("api-keys")), R"(["k1"])");
    for (const char* hidden : {"host", "port", "auth-dir", "remote-management"}) EXPECT_FALSE(v.contains(hidden));
    EXPECT_EQ(r.body().find(kHash), std::string::npos);
}

TEST_F(ConfigYaml, LatestVersionUsesTheConfiguredFeedAndProxy) {
    test::FakeReleaseServer feed;
    feed.setReply({200, R"({"tag_name":"v9.9.9"})"});
    ctx_.config().update([&](Value& r) { r.set("latest-version-url", feed.baseUrl() + "/feed"); });
    auto res = mgmt(Method::Get, "/latest-version");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(json(res), R"({"latest-version":"v9.9.9"})");

    test::FakeReleaseServer proxy;
    proxy.setReply({500, "proxy says no"});
    ctx_.config().update([&](Value& r) { r.set("proxy-url", proxy.baseUrl()); });
    res = mgmt(Method::Get, "/latest-version");
    EXPECT_EQ(res.status(), 502);
    EXPECT_EQ(json(res), R"({"error":"unexpected_status","message":"status 500: proxy says no"})");
    EXPECT_EQ(feed.requests().size(), 1u);
    EXPECT_EQ(proxy.requests().size(), 1u);
}

TEST_F(ConfigYaml, ControlPanelIsServedFromTheStaticDirectory) {
    auto r = call(Method::Get, "/management.html");
    EXPECT_EQ(r.status(), 404);
    EXPECT_EQ(r.body(), "");
    writeFile("static/management.html", "<html>panel</html>");
    r = call(Method::Get, "/management.html");
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.body(), "<html>panel</html>");
    EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
    ctx_.config().update([](Value& root) { root["remote-management"].set("disable-control-panel", true); });
    r = call(Method::Get, "/management.html");
    EXPECT_EQ(r.status(), 404);
    EXPECT_EQ(r.body(), "");
}

TEST_F(ConfigYaml, RoutesAndAccessClasses) {
    const auto* panel = router_.find(Method::Get, "/management.html");
    ASSERT_NE(panel, nullptr);
    EXPECT_EQ(panel->access, sdk::Access::Public);
    for (const auto& r : router_.routes()) {
        if (r.pattern != "/management.html") {
            EXPECT_EQ(r.access, sdk::Access::Management) << r.pattern;
        }
    }
    EXPECT_TRUE(router_.has(Method::Delete, "/v0/management/proxy-url"));
    EXPECT_FALSE(router_.has(Method::Delete, "/v0/management/debug"));
    EXPECT_FALSE(router_.has(Method::Put, "/v0/management/config"));
}

}  // namespace
}  // namespace cpa::config
