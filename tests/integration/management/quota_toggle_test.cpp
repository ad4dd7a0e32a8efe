// quota-exceeded toggles through the real server: round trip, the YAML on
// disk, bad bodies, restart, and comments kept byte-for-byte.
#include "integration_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace cpa::test;

namespace {

const HeaderList kAuth = {{"Authorization", "Bearer quota-secret"}};
const std::string kBase = "/v0/management/quota-exceeded/";

std::string config(const std::string& quotaBlock) {
    return "# operator's header comment\n"
           "host: \"127.0.0.1\"   # loopback only\n"
           "port: 0\n"
           "modules: [quota]\n"
           "remote-management:\n"
           "  secret-key: \"quota-secret\"\n"
           "\n"
           "# custom keys of the operator stay as written\n"
           "my-custom-key:\n"
           "    deeply:   [1, 2,   3]\n" +
           quotaBlock + "routing:\n  strategy: \"round-robin\"  # trailing comment\n";
}

ServerProcessOptions serverWith(const std::string& text) {
    ServerProcessOptions o;
    o.configText = text;
    o.modulesDir = kModulesDir;
    return o;
}

/// The config text minus the quota-exceeded block and the (hashed) secret line.
std::string withoutQuotaAndSecret(const std::string& text) {
    std::string out;
    std::istringstream in(text);
    std::string line;
    bool inQuota = false;
    while (std::getline(in, line)) {
        if (line.rfind("quota-exceeded:", 0) == 0) {
            inQuota = true;
            continue;
        }
        if (inQuota && (line.rfind("  ", 0) == 0)) continue;
        inQuota = false;
        if (line.find("secret-key:") != std::string::npos) continue;
        out += line + "\n";
    }
    return out;
}

}  // namespace

TEST(QuotaToggles, RoundTripThroughTheFile) {
    ServerProcess server(serverWith(config("")));
    HttpClient c("127.0.0.1", server.port());
    for (const std::string name : {"switch-project", "switch-preview-model"}) {
        auto initial = c.get(kBase + name, kAuth);
        ASSERT_EQ(initial.status, 200) << initial.body;
        EXPECT_EQ(initial.body, "{\"" + name + "\":false}") << "absent means false";
        EXPECT_EQ(initial.header("Content-Type").value_or(""), "application/json; charset=utf-8");

        auto put = c.request("PUT", kBase + name, kAuth, R"({"value":true})");
        EXPECT_EQ(put.status, 200);
        EXPECT_EQ(put.body, R"({"status":"ok"})");
        EXPECT_EQ(c.get(kBase + name, kAuth).body, "{\"" + name + "\":true}");
        EXPECT_NE(readFile(server.configPath()).find("  " + name + ": true"), std::string::npos)
            << readFile(server.configPath());

        auto patch = c.request("PATCH", kBase + name, kAuth, R"({"value":false} trailing data is ignored)");
        EXPECT_EQ(patch.status, 200);
        EXPECT_EQ(c.get(kBase + name, kAuth).body, "{\"" + name + "\":false}");
        EXPECT_NE(readFile(server.configPath()).find("  " + name + ": false"), std::string::npos);
    }
}

TEST(QuotaToggles, BadBodiesAreRejectedAndChangeNothing) {
    ServerProcess server(serverWith(config("quota-exceeded:\n  switch-project: true\n")));
    HttpClient c("127.0.0.1", server.port());
    const std::string before = readFile(server.configPath());
    for (const std::string body : {"", "{}", R"({"value":null})", R"({"value":"true"})", R"({"value":1})",
                                   "not json", "[true]", R"({"value":tru})"}) {
        auto r = c.request("PUT", kBase + "switch-project", kAuth, body);
        EXPECT_EQ(r.status, 400) << "body: " << body;
        EXPECT_EQ(r.body, R"({"error":"invalid body"})") << "body: " << body;
    }
    EXPECT_EQ(readFile(server.configPath()), before);
    EXPECT_EQ(c.get(kBase + "switch-project", kAuth).body, R"({"switch-project":true})");
    // Member names match case-insensitively like the original's decoder.
    EXPECT_EQ(c.request("PUT", kBase + "switch-project", kAuth, R"({"VALUE":false})").status, 200);
    EXPECT_EQ(c.get(kBase + "switch-project", kAuth).body, R"({"switch-project":false})");
}

TEST(QuotaToggles, CommentsAndUnknownKeysSurviveManyToggles) {
    ServerProcess server(serverWith(config("quota-exceeded:\n  switch-project: false\n  switch-preview-model: true\n")));
    HttpClient c("127.0.0.1", server.port());
    const std::string before = withoutQuotaAndSecret(readFile(server.configPath()));
    for (int i = 0; i < 100; ++i) {
        const std::string v = (i % 2 == 0) ? "true" : "false";
        ASSERT_EQ(c.request("PUT", kBase + "switch-project", kAuth, "{\"value\":" + v + "}").status, 200);
    }
    const std::string after = readFile(server.configPath());
    EXPECT_EQ(withoutQuotaAndSecret(after), before);
    EXPECT_NE(after.find("# operator's header comment\n"), std::string::npos);
    EXPECT_NE(after.find("    deeply:   [1, 2,   3]\n"), std::string::npos);
    EXPECT_NE(after.find("  strategy: \"round-robin\"  # trailing comment\n"), std::string::npos);
    EXPECT_NE(after.find("  switch-project: false"), std::string::npos) << after;
    EXPECT_NE(after.find("  switch-preview-model: true"), std::string::npos) << after;
}

TEST(QuotaToggles, ValuesSurviveARestart) {
    std::string persisted;
    {
        ServerProcess server(serverWith(config("")));
        ASSERT_EQ(httpRequest(server.port(), "PUT", kBase + "switch-preview-model", kAuth, R"({"value":true})").status,
                  200);
        server.sigterm();
        ASSERT_EQ(server.waitExit(std::chrono::seconds(30)), 0);
        persisted = readFile(server.configPath());
    }
    ServerProcess again(serverWith(persisted));
    EXPECT_EQ(httpRequest(again.port(), "GET", kBase + "switch-preview-model", kAuth).body,
              R"({"switch-preview-model":true})");
    EXPECT_EQ(httpRequest(again.port(), "GET", kBase + "switch-project", kAuth).body, R"({"switch-project":false})");
}

TEST(QuotaToggles, ExternalEditIsServedWithinASecond) {
    ServerProcess server(serverWith(config("quota-exceeded:\n  switch-project: false\n")));
    std::string text = readFile(server.configPath());
    const auto pos = text.find("switch-project: false");
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, std::string("switch-project: false").size(), "switch-project: true");
    {
        std::ofstream out(server.configPath(), std::ios::trunc);
        out << text;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    std::string body;
    while (std::chrono::steady_clock::now() < deadline) {
        body = httpRequest(server.port(), "GET", kBase + "switch-project", kAuth).body;
        if (body == R"({"switch-project":true})") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(body, R"({"switch-project":true})");
}
