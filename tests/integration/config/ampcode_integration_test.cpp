// The /ampcode endpoints (management-api-core.md Appendix C) through the real
// server; each check reads config.yaml back from disk.
#include "config_integration_support.hpp"

#include <gtest/gtest.h>

namespace cpa::config::itest {
namespace {

class AmpcodeIntegration : public ::testing::Test {
protected:
    ConfigServer server{baseConfig("# amp settings\nampcode:\n  upstream-url: \"https://amp.example\"  # keep\n")};
};

TEST_F(AmpcodeIntegration, WholeBlockHasEveryMember) {
    EXPECT_EQ(server.mgmt("GET", "/ampcode").body,
              R"({"ampcode":{"upstream-url":"https://amp.example","upstream-api-key":"",)"
              R"("restrict-management-to-localhost":false,"model-mappings":null,"force-model-mappings":false}})");
}

TEST_F(AmpcodeIntegration, StringMembersAreTrimmedAndDeletable) {
    EXPECT_EQ(server.mgmt("GET", "/ampcode/upstream-url").body, R"({"upstream-url":"https://amp.example"})");
    auto r = server.mgmt("PUT", "/ampcode/upstream-api-key", R"({"value":"  sk-amp  "})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    EXPECT_EQ(server.fileYaml()["ampcode"]["upstream-api-key"].as<std::string>(), "sk-amp");
    EXPECT_NE(server.fileText().find("# amp settings\n"), std::string::npos) << "comments kept";
    EXPECT_EQ(server.mgmt("PATCH", "/ampcode/upstream-url", R"({"value":"http://127.0.0.1:9"})").status, 200);
    EXPECT_EQ(server.fileYaml()["ampcode"]["upstream-url"].as<std::string>(), "http://127.0.0.1:9");
    EXPECT_EQ(server.mgmt("DELETE", "/ampcode/upstream-url").status, 200);
    EXPECT_EQ(server.fileYaml()["ampcode"]["upstream-url"].as<std::string>(), "");
    const std::string before = server.fileText();
    for (const char* body : {"", "{}", R"({"value":1})", R"({"value":null})", "nope"}) {
        r = server.mgmt("PUT", "/ampcode/upstream-api-key", body);
        EXPECT_EQ(r.status, 400) << body;
        EXPECT_EQ(r.body, R"({"error":"invalid body"})");
    }
    EXPECT_EQ(server.fileText(), before);
}

TEST_F(AmpcodeIntegration, BooleanMembers) {
    for (const std::string name : {"restrict-management-to-localhost", "force-model-mappings"}) {
        EXPECT_EQ(server.mgmt("GET", "/ampcode/" + name).body, "{\"" + name + "\":false}");
        EXPECT_EQ(server.mgmt("PUT", "/ampcode/" + name, R"({"value":true})").status, 200);
        EXPECT_TRUE(server.fileYaml()["ampcode"][name].as<bool>()) << name;
        EXPECT_EQ(server.mgmt("GET", "/ampcode/" + name).body, "{\"" + name + "\":true}");
        EXPECT_EQ(server.mgmt("PATCH", "/ampcode/" + name, R"({"value":"yes"})").status, 400);
        EXPECT_EQ(server.mgmt("DELETE", "/ampcode/" + name).status, 404) << "no DELETE route";
    }
}

TEST_F(AmpcodeIntegration, ModelMappingsPutPatchDelete) {
    auto r = server.mgmt("PUT", "/ampcode/model-mappings",
                         R"({"value":[{"from":"a","to":"x"},{"from":" b ","to":"y","regex":true,"extra":1}]})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(server.mgmt("GET", "/ampcode/model-mappings").body,
              R"({"model-mappings":[{"from":"a","to":"x"},{"from":" b ","to":"y","regex":true}]})");
    auto y = server.fileYaml()["ampcode"]["model-mappings"];
    ASSERT_EQ(y.size(), 2u);
    EXPECT_EQ(y[1]["from"].as<std::string>(), " b ") << "PUT keeps entries as given";
    // PATCH upserts by trimmed `from`.
    EXPECT_EQ(server.mgmt("PATCH", "/ampcode/model-mappings", R"({"value":[{"from":"b","to":"z"},{"from":"c","to":"w"}]})")
                  .status,
              200);
    EXPECT_EQ(server.mgmt("GET", "/ampcode/model-mappings").body,
              R"({"model-mappings":[{"from":"a","to":"x"},{"from":"b","to":"z"},{"from":"c","to":"w"}]})");
    // DELETE by trimmed `from`; an unusable body clears everything.
    EXPECT_EQ(server.mgmt("DELETE", "/ampcode/model-mappings", R"({"value":[" a "]})").status, 200);
    EXPECT_EQ(server.fileYaml()["ampcode"]["model-mappings"].size(), 2u);
    const std::string before = server.fileText();
    EXPECT_EQ(server.mgmt("PUT", "/ampcode/model-mappings", R"({"value":[{"from":1}]})").status, 400);
    EXPECT_EQ(server.mgmt("PATCH", "/ampcode/model-mappings", R"({"value":{"from":"a"}})").status, 400);
    EXPECT_EQ(server.fileText(), before);
    EXPECT_EQ(server.mgmt("DELETE", "/ampcode/model-mappings").status, 200);
    EXPECT_FALSE(server.fileYaml()["ampcode"]["model-mappings"]);
    EXPECT_EQ(server.mgmt("GET", "/ampcode/model-mappings").body, R"({"model-mappings":null})");
    EXPECT_EQ(server.fileYaml()["ampcode"]["upstream-url"].as<std::string>(), "https://amp.example");
}

TEST_F(AmpcodeIntegration, UpstreamApiKeysRules) {
    EXPECT_EQ(server.mgmt("GET", "/ampcode/upstream-api-keys").body, R"({"upstream-api-keys":null})");
    auto r = server.mgmt("PUT", "/ampcode/upstream-api-keys",
                         R"({"value":[{"upstream-api-key":" u1 ","api-keys":[" k1 ",""]},{"upstream-api-key":"  "}]})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(server.mgmt("GET", "/ampcode/upstream-api-keys").body,
              R"({"upstream-api-keys":[{"upstream-api-key":"u1","api-keys":["k1"]}]})");
    EXPECT_EQ(server.mgmt("PATCH", "/ampcode/upstream-api-keys",
                          R"({"value":[{"upstream-api-key":"u1","api-keys":["k2"]},{"upstream-api-key":"u2"}]})")
                  .status,
              200);
    EXPECT_EQ(server.mgmt("GET", "/ampcode/upstream-api-keys").body,
              R"({"upstream-api-keys":[{"upstream-api-key":"u1","api-keys":["k2"]},{"upstream-api-key":"u2","api-keys":[]}]})");
    EXPECT_EQ(server.fileYaml()["ampcode"]["upstream-api-keys"].size(), 2u);
    const std::string before = server.fileText();
    struct Case {
        const char* body;
        const char* error;
    };
    for (const Case c : {Case{"", "invalid body"}, Case{"{}", "missing value"}, Case{R"({"value":null})", "missing value"},
                         Case{R"({"value":["  "]})", "empty value"}, Case{R"({"value":"u1"})", "invalid body"}}) {
        r = server.mgmt("DELETE", "/ampcode/upstream-api-keys", c.body);
        EXPECT_EQ(r.status, 400) << c.body;
        EXPECT_EQ(r.body, std::string(R"({"error":")") + c.error + "\"}") << c.body;
    }
    EXPECT_EQ(server.fileText(), before);
    EXPECT_EQ(server.mgmt("DELETE", "/ampcode/upstream-api-keys", R"({"value":["u1"]})").status, 200);
    EXPECT_EQ(server.fileYaml()["ampcode"]["upstream-api-keys"].size(), 1u);
    EXPECT_EQ(server.mgmt("DELETE", "/ampcode/upstream-api-keys", R"({"value":[]})").status, 200);
    EXPECT_FALSE(server.fileYaml()["ampcode"]["upstream-api-keys"]);
}

}  // namespace
}  // namespace cpa::config::itest
