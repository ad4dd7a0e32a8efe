// The scalar settings through the real server; each check reads config.yaml
// back from disk.
#include "config_integration_support.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace cpa::config::itest {
namespace {

class ScalarSettingsIntegration : public ::testing::Test {
protected:
    ConfigServer server;
};

TEST_F(ScalarSettingsIntegration, BooleansArePersisted) {
    for (const std::string name : {"debug", "logging-to-file", "usage-statistics-enabled", "request-log", "ws-auth",
                                   "force-model-prefix"}) {
        EXPECT_EQ(server.mgmt("GET", "/" + name).body, "{\"" + name + "\":false}");
        auto r = server.mgmt("PUT", "/" + name, R"({"value":true})");
        EXPECT_EQ(r.status, 200) << name;
        EXPECT_EQ(r.body, R"({"status":"ok"})");
        EXPECT_TRUE(server.fileYaml()[name].as<bool>()) << name;
        EXPECT_EQ(server.mgmt("GET", "/" + name).body, "{\"" + name + "\":true}");
        r = server.mgmt("PATCH", "/" + name, R"({"value":false})");
        EXPECT_EQ(r.status, 200) << name;
        EXPECT_FALSE(server.fileYaml()[name].as<bool>()) << name;
    }
}

TEST_F(ScalarSettingsIntegration, IntegersFollowTheirNegativeRules) {
    struct Case {
        const char* name;
        int given;
        int stored;
    };
    for (const Case c : {Case{"logs-max-total-size-mb", -5, 0}, Case{"logs-max-total-size-mb", 20, 20},
                         Case{"error-logs-max-files", -1, 10}, Case{"error-logs-max-files", 3, 3},
                         Case{"request-retry", -4, 0}, Case{"request-retry", 3, 3},
                         Case{"max-retry-interval", -1, 0}, Case{"max-retry-interval", 30, 30}}) {
        const auto r = server.mgmt("PATCH", std::string("/") + c.name, "{\"value\":" + std::to_string(c.given) + "}");
        EXPECT_EQ(r.status, 200) << c.name;
        // A default is not added to the file as a new key (the original's rule).
        const YAML::Node node = server.fileYaml()[c.name];
        const int defaultValue = std::string(c.name) == "error-logs-max-files" ? 10 : 0;
        EXPECT_EQ(node ? node.as<int>() : defaultValue, c.stored) << c.name << " " << c.given;
        EXPECT_EQ(server.mgmt("GET", std::string("/") + c.name).body,
                  std::string("{\"") + c.name + "\":" + std::to_string(c.stored) + "}");
    }
}

TEST_F(ScalarSettingsIntegration, InvalidBodiesChangeNothing) {
    const std::string before = server.fileText();
    for (const std::string path : {"/debug", "/request-retry", "/proxy-url", "/routing/strategy", "/ws-auth"}) {
        for (const char* body : {"", "{}", R"({"value":null})", R"({"value":[1]})", "not json", R"({"value":1.5})"}) {
            const auto r = server.mgmt("PUT", path, body);
            EXPECT_EQ(r.status, 400) << path << " " << body;
            EXPECT_EQ(r.body, R"({"error":"invalid body"})") << path << " " << body;
        }
    }
    EXPECT_EQ(server.mgmt("PUT", "/debug", R"({"value":"true"})").status, 400);
    EXPECT_EQ(server.mgmt("PUT", "/request-retry", R"({"value":"3"})").status, 400);
    EXPECT_EQ(server.fileText(), before);
}

TEST_F(ScalarSettingsIntegration, ProxyUrlValidationAndDelete) {
    auto r = server.mgmt("PUT", "/proxy-url", R"({"value":" socks5://user:pw@127.0.0.1:1080 "})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(server.fileYaml()["proxy-url"].as<std::string>(), "socks5://user:pw@127.0.0.1:1080");
    EXPECT_EQ(server.mgmt("GET", "/proxy-url").body, R"({"proxy-url":"socks5://user:pw@127.0.0.1:1080"})");
    const std::string before = server.fileText();
    r = server.mgmt("PATCH", "/proxy-url", R"({"value":"ftp://nope"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"invalid body"})");
    EXPECT_EQ(server.fileText(), before);
    EXPECT_EQ(server.mgmt("PATCH", "/proxy-url", R"({"value":"direct"})").status, 200);
    EXPECT_EQ(server.fileYaml()["proxy-url"].as<std::string>(), "direct");
    r = server.mgmt("DELETE", "/proxy-url");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    EXPECT_EQ(server.fileYaml()["proxy-url"].as<std::string>(), "");
    EXPECT_EQ(server.mgmt("GET", "/proxy-url").body, R"({"proxy-url":""})");
}

TEST_F(ScalarSettingsIntegration, RoutingStrategy) {
    EXPECT_EQ(server.mgmt("GET", "/routing/strategy").body, R"({"strategy":"round-robin"})");
    // The default is not added as a new key.
    const std::string before = server.fileText();
    EXPECT_EQ(server.mgmt("PUT", "/routing/strategy", R"({"value":"RR"})").status, 200);
    EXPECT_EQ(server.fileText(), before);
    EXPECT_EQ(server.mgmt("PATCH", "/routing/strategy", R"({"value":" ff "})").status, 200);
    EXPECT_EQ(server.fileYaml()["routing"]["strategy"].as<std::string>(), "fill-first");
    EXPECT_EQ(server.mgmt("GET", "/routing/strategy").body, R"({"strategy":"fill-first"})");
    const auto bad = server.mgmt("PUT", "/routing/strategy", R"({"value":"random"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body, R"({"error":"invalid strategy"})");
    EXPECT_EQ(server.fileYaml()["routing"]["strategy"].as<std::string>(), "fill-first");
    EXPECT_EQ(server.mgmt("PUT", "/routing/strategy", R"({"value":"roundrobin"})").status, 200);
    EXPECT_EQ(server.fileYaml()["routing"]["strategy"].as<std::string>(), "round-robin");
}

TEST_F(ScalarSettingsIntegration, UnregisteredMethodsArePlain404s) {
    EXPECT_EQ(server.mgmt("DELETE", "/debug").status, 404);
    EXPECT_EQ(server.mgmt("POST", "/debug", R"({"value":true})").status, 404);
}

std::vector<std::string> linesWithout(const std::string& text, const std::vector<std::string>& keys) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        bool changed = false;
        for (const auto& k : keys) changed = changed || line.rfind(k + ":", 0) == 0;
        if (!changed) out.push_back(line);
    }
    return out;
}

TEST(ScalarSettingsComments, CommentsAndCustomKeysSurviveAHundredUpdates) {
    ConfigServer server(baseConfig(
        "# Operator notes: keep this file tidy.\n"
        "debug: false          # flipped by the tests\n"
        "request-retry: 1\n"
        "    # an indented stand-alone comment\n"
        "my-plugin:\n"
        "  nested:   [1,   2]   # odd spacing kept\n"
        "  quoted: 'single'\n"
        "# between keys\n"
        "logs-max-total-size-mb: 5\n"
        "unknown-top-level: \"kept\"\n"));
    const std::string start = server.fileText();
    for (int i = 0; i < 100; ++i) {
        const bool even = i % 2 == 0;
        const auto r = even ? server.mgmt("PUT", "/debug", std::string("{\"value\":") + (i % 4 == 0 ? "true" : "false") + "}")
                            : server.mgmt("PATCH", "/request-retry", "{\"value\":" + std::to_string(i) + "}");
        ASSERT_EQ(r.status, 200) << i << " " << r.body;
    }
    const std::string end = server.fileText();
    EXPECT_EQ(linesWithout(end, {"debug", "request-retry"}), linesWithout(start, {"debug", "request-retry"}))
        << "--- start\n" << start << "--- end\n" << end;
    const YAML::Node doc = YAML::Load(end);
    EXPECT_FALSE(doc["debug"].as<bool>());  // the last PUT (i = 98) wrote false
    EXPECT_EQ(doc["request-retry"].as<int>(), 99);
    EXPECT_EQ(doc["unknown-top-level"].as<std::string>(), "kept");
    EXPECT_EQ(doc["my-plugin"]["quoted"].as<std::string>(), "single");
}

}  // namespace
}  // namespace cpa::config::itest
