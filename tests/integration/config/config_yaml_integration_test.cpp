// GET /config, GET/PUT /config.yaml and /management.html through the real
// server; every check reads config.yaml back from disk.
#include "config_integration_support.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace cpa::config::itest {
namespace {

Poco::JSON::Object::Ptr jsonObject(const std::string& body) {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string errorOf(const cpa::test::HttpResponse& r) { return jsonObject(r.body)->getValue<std::string>("error"); }

TEST(ConfigYamlIntegration, GetServesTheBytesOnDiskWithTheOriginalsHeaders) {
    ConfigServer server(baseConfig("# a comment\n  # an indented comment\ndebug: false   # trailing\n"));
    const auto r = server.get("/v0/management/config.yaml");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, server.fileText());
    EXPECT_NE(r.body.find("  # an indented comment\n"), std::string::npos);
    EXPECT_EQ(r.body.find(kKey), std::string::npos) << "the secret is stored hashed";
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/yaml; charset=utf-8");
    EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store");
    EXPECT_EQ(r.header("X-Content-Type-Options").value_or(""), "nosniff");
}

TEST(ConfigYamlIntegration, PutStoresTheBodyVerbatim) {
    ConfigServer server;
    const std::string body = server.documentWith(
        "# top comment\n"
        "debug: true\n"
        "custom-block:\n"
        "    # indented comment stays indented\n"
        "    note: |\n"
        "      # not a comment: block scalar text\n"
        "api-keys:\n"
        "  - \"k1\"\n");
    const auto r = server.mgmt("PUT", "/config.yaml", body);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, R"({"ok":true,"changed":["config"]})");
    EXPECT_EQ(server.fileText(), body);
    const auto cfg = jsonObject(server.mgmt("GET", "/config").body);
    EXPECT_TRUE(cfg->getValue<bool>("debug"));
    EXPECT_EQ(cfg->getArray("api-keys")->getElement<std::string>(0), "k1");
}

TEST(ConfigYamlIntegration, ThePlaintextOfTheCurrentSecretIsHashedBeforeItIsWritten) {
    ConfigServer server;
    const std::string body = std::string("host: \"127.0.0.1\"\nport: 0\nmodules: [\"config\"]\n") +
                             "remote-management:\n  secret-key: \"" + kKey + "\"\ndebug: true\n";
    const auto r = server.mgmt("PUT", "/config.yaml", body);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string text = server.fileText();
    EXPECT_EQ(text.find(kKey), std::string::npos);
    EXPECT_EQ(server.fileYaml()["remote-management"]["secret-key"].as<std::string>().rfind("$2", 0), 0u);
    EXPECT_TRUE(server.fileYaml()["debug"].as<bool>());
    // The key still works (and so does every later request).
    EXPECT_EQ(server.mgmt("GET", "/debug").status, 200);
}

TEST(ConfigYamlIntegration, EveryFailingPutLeavesTheFileByteIdentical) {
    ConfigServer server(baseConfig("debug: false\n"));
    const std::string before = server.fileText();
    struct Case {
        std::string body;
        int status;
        std::string error;
    };
    const std::vector<Case> cases = {
        {"", 400, "invalid_yaml"},
        {"   \n\n", 400, "invalid_yaml"},
        {server.documentWith("debug: [unclosed\n"), 400, "invalid_yaml"},
        {server.documentWith("port: abc\n"), 400, "invalid_yaml"},
        {server.documentWith("disable-image-generation: maybe\n"), 400, "invalid_yaml"},
        {"- just\n- a list\n", 400, "invalid_yaml"},
        {server.documentWith("").replace(server.documentWith("").find("remote-management:\n"), 19,
                                         "remote-management:\n  allow-remote: true\n"),
         422, "invalid_config"},
        {"host: \"127.0.0.1\"\nport: 0\nmodules: [\"config\"]\nremote-management:\n  secret-key: \"other\"\n", 422,
         "invalid_config"},
        {"host: \"127.0.0.1\"\nport: 0\nmodules: [\"config\"]\n", 422, "invalid_config"},
        {"# nothing but a comment\n", 422, "invalid_config"},
    };
    for (const Case& c : cases) {
        const auto r = server.mgmt("PUT", "/config.yaml", c.body);
        EXPECT_EQ(r.status, c.status) << c.body << "\n" << r.body;
        EXPECT_EQ(errorOf(r), c.error) << c.body;
        EXPECT_FALSE(jsonObject(r.body)->getValue<std::string>("message").empty());
        EXPECT_EQ(server.fileText(), before) << c.body;
    }
    EXPECT_EQ(jsonObject(server.mgmt("PUT", "/config.yaml", "").body)->getValue<std::string>("message"), "empty body");
    const auto d5 = server.mgmt("PUT", "/config.yaml", cases[7].body);
    EXPECT_NE(jsonObject(d5.body)->getValue<std::string>("message").find("file-only"), std::string::npos);
    // The management key still works: nothing changed.
    EXPECT_EQ(server.mgmt("GET", "/debug").body, R"({"debug":false})");
}

TEST(ConfigYamlIntegration, GetConfigIsTheOriginalsViewOfTheFile) {
    ConfigServer server(baseConfig("auth-dir: \"~/.cli-proxy-api\"\napi-keys: []\nrequest-retry: 3\n"
                                   "gemini-api-key:\n  - api-key: \" g1 \"\n    prefix: \"/team/\"\n"));
    const auto r = server.mgmt("GET", "/config");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.header("Content-Type").value_or("").find("application/json"), std::string::npos);
    const auto cfg = jsonObject(r.body);
    for (const char* hidden : {"host", "port", "remote-management", "auth-dir"}) EXPECT_FALSE(cfg->has(hidden)) << hidden;
    EXPECT_EQ(cfg->getArray("api-keys")->size(), 0u);
    EXPECT_TRUE(cfg->isNull("claude-api-key"));
    EXPECT_EQ(cfg->getValue<int>("request-retry"), 3);
    EXPECT_EQ(cfg->getValue<int>("error-logs-max-files"), 10);
    const auto gemini = cfg->getArray("gemini-api-key")->getObject(0);
    EXPECT_EQ(gemini->getValue<std::string>("api-key"), "g1");
    EXPECT_EQ(gemini->getValue<std::string>("prefix"), "team");
    EXPECT_FALSE(cfg->has("oauth-model-alias"));
}

TEST(ConfigYamlIntegration, ControlPanelComesFromTheStaticDirectoryBesideTheConfig) {
    ConfigServer server;
    auto r = server.get("/management.html");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, "");
    const auto dir = server.process().dir() / "static";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "management.html") << "<html>panel</html>";
    r = server.request("GET", "/management.html");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "<html>panel</html>");
    EXPECT_NE(r.header("Content-Type").value_or("").find("text/html"), std::string::npos);
    // Public route: no key needed.
    EXPECT_EQ(cpa::test::httpRequest(server.port(), "GET", "/management.html").status, 200);

    const std::string doc = server.documentWith("");
    const std::string disabled =
        doc.substr(0, doc.find("remote-management:\n") + 19) + "  disable-control-panel: true\n" +
        doc.substr(doc.find("remote-management:\n") + 19);
    ASSERT_EQ(server.mgmt("PUT", "/config.yaml", disabled).status, 200);
    r = server.get("/management.html");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, "");
}

TEST(ConfigYamlIntegration, ConcurrentPutsAndPatchesEndInAConsistentFile) {
    ConfigServer server(baseConfig("debug: false\n"));
    const std::string rm = server.remoteManagementBlock();
    std::atomic<int> failures{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 16; ++c) {
        clients.emplace_back([&, c] {
            cpa::test::HttpClient client("127.0.0.1", server.port());
            const cpa::test::HeaderList auth{{"Authorization", std::string("Bearer ") + kKey}};
            for (int i = 0; i < 50; ++i) {
                cpa::test::HttpResponse r;
                if (c < 4) {
                    const std::string doc = "host: \"127.0.0.1\"\nport: 0\nmodules: [\"config\"]\n" + rm +
                                            "# writer " + std::to_string(c) + "\nrequest-retry: " +
                                            std::to_string(c * 100 + i) + "\n";
                    r = client.request("PUT", "/v0/management/config.yaml", auth, doc);
                } else if (c < 8) {
                    r = client.request("PATCH", "/v0/management/max-retry-interval", auth,
                                       "{\"value\":" + std::to_string(c * 100 + i) + "}");
                } else if (c < 12) {
                    r = client.request("PUT", "/v0/management/debug", auth,
                                       std::string("{\"value\":") + ((i % 2) != 0 ? "true" : "false") + "}");
                } else {
                    r = client.request("PATCH", "/v0/management/proxy-url", auth,
                                       "{\"value\":\"http://p" + std::to_string(c) + ":" + std::to_string(1000 + i) +
                                           "\"}");
                }
                if (r.status != 200) ++failures;
            }
        });
    }
    for (auto& t : clients) t.join();
    EXPECT_EQ(failures.load(), 0);

    // The file parses, is what the server serves, and every setting reads back as stored.
    const std::string text = server.fileText();
    const YAML::Node doc = YAML::Load(text);
    EXPECT_EQ(server.mgmt("GET", "/config.yaml").body, text);
    auto scalar = [&](const char* key, const std::string& fallback) {
        return doc[key] ? doc[key].as<std::string>() : fallback;
    };
    EXPECT_EQ(server.mgmt("GET", "/request-retry").body, "{\"request-retry\":" + scalar("request-retry", "0") + "}");
    EXPECT_EQ(server.mgmt("GET", "/max-retry-interval").body,
              "{\"max-retry-interval\":" + scalar("max-retry-interval", "0") + "}");
    EXPECT_EQ(server.mgmt("GET", "/debug").body, "{\"debug\":" + scalar("debug", "false") + "}");
    EXPECT_EQ(server.mgmt("GET", "/proxy-url").body, "{\"proxy-url\":\"" + scalar("proxy-url", "") + "\"}");
    EXPECT_EQ(doc["remote-management"]["secret-key"].as<std::string>(),
              YAML::Load(rm)["remote-management"]["secret-key"].as<std::string>());
}

}  // namespace
}  // namespace cpa::config::itest
