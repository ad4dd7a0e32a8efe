#include "login/pkce.hpp"
#include "login/token_results.hpp"

#include <cpa/sdk/base64.hpp>
#include <cpa/sdk/sha256.hpp>
#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

#include <regex>

using namespace cpa::oauth::login;
using cpa::sdk::Value;
namespace sdk = cpa::sdk;

namespace {

const SysTime kNow = std::chrono::system_clock::time_point(std::chrono::milliseconds(1777608003123));

std::string jwt(const std::string& payloadJson) {
    return sdk::base64UrlEncode("{\"alg\":\"none\"}") + "." + sdk::base64UrlEncode(payloadJson) + ".sig";
}

std::vector<std::string> keys(const Value& o) {
    std::vector<std::string> out;
    for (const auto& [k, v] : o.asObject()) out.push_back(k);
    return out;
}

const std::regex kLocalTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))");

}  // namespace

TEST(LoginTokens, ClaudeFile) {
    const auto c = claudeCredential(
        R"({"access_token":"sk-ant-oat","refresh_token":"sk-ant-ort","expires_in":28800,"token_type":"Bearer",)"
        R"("account":{"uuid":"u","email_address":"user@example.com"},"organization":{"uuid":"o","name":"n"}})",
        kNow);
    EXPECT_EQ(c.fileName, "claude-user@example.com.json");
    EXPECT_EQ(keys(c.content), (std::vector<std::string>{"access_token", "email", "expired", "id_token",
                                                         "last_refresh", "refresh_token", "type"}));
    EXPECT_EQ(c.content.find("type")->asString(), "claude");
    EXPECT_EQ(c.content.find("id_token")->asString(), "");
    EXPECT_EQ(c.content.find("refresh_token")->asString(), "sk-ant-ort");
    EXPECT_EQ(c.content.find("expired")->asString(), sdk::formatRfc3339(sdk::localTime(kNow + std::chrono::seconds(28800))));
    EXPECT_EQ(c.content.find("last_refresh")->asString(), sdk::formatRfc3339(sdk::localTime(kNow)));
    EXPECT_TRUE(std::regex_match(c.content.find("expired")->asString(), kLocalTime));
}

TEST(LoginTokens, UnusableResponsesThrow) {
    EXPECT_THROW(claudeCredential("not json", kNow), std::runtime_error);
    EXPECT_THROW(claudeCredential("[1]", kNow), std::runtime_error);
    EXPECT_THROW(claudeCredential(R"({"error":"invalid_grant"})", kNow), std::runtime_error);
    EXPECT_THROW(codexCredential(R"({"access_token":""})", kNow), std::runtime_error);
    EXPECT_THROW(parseGoogleToken(R"({"refresh_token":"r"})"), std::runtime_error);
    EXPECT_THROW(kimiCredential(R"({"access_token":5})", "", kNow), std::runtime_error);
}

TEST(LoginTokens, CodexFileFromIdTokenClaims) {
    const std::string id = jwt(R"({"email":"a@b.c","https://api.openai.com/auth":{"chatgpt_account_id":"acct-1",)"
                               R"("chatgpt_plan_type":"plus"}})");
    const auto c = codexCredential(R"({"access_token":"at","refresh_token":"rt","id_token":")" + id +
                                       R"(","expires_in":3600})",
                                   kNow);
    EXPECT_EQ(c.fileName, "codex-a@b.c-plus.json");
    EXPECT_EQ(keys(c.content), (std::vector<std::string>{"access_token", "account_id", "email", "expired", "id_token",
                                                         "last_refresh", "refresh_token", "type"}));
    EXPECT_EQ(c.content.find("account_id")->asString(), "acct-1");
    EXPECT_EQ(c.content.find("email")->asString(), "a@b.c");
    EXPECT_EQ(c.content.find("id_token")->asString(), id);
    EXPECT_EQ(c.content.find("type")->asString(), "codex");
}

TEST(LoginTokens, CodexFileNameRule) {
    EXPECT_EQ(codexFileName("a@b.c", "", "x"), "codex-a@b.c.json");
    EXPECT_EQ(codexFileName("a@b.c", "Pro Lite!", "x"), "codex-a@b.c-pro-lite.json");
    EXPECT_EQ(codexFileName("a@b.c", "team", "acct-1"),
              "codex-" + sdk::sha256Hex("acct-1").substr(0, 8) + "-a@b.c-team.json");
    EXPECT_EQ(codexFileName("a@b.c", "TEAM", ""), "codex--a@b.c-team.json");
    // An unreadable ID token leaves the name without plan.
    EXPECT_EQ(codexCredential(R"({"access_token":"at","id_token":"x.!!!.y"})", kNow).fileName, "codex-.json");
}

TEST(LoginTokens, GeminiFile) {
    const GoogleToken t =
        parseGoogleToken(R"({"access_token":"ya29","refresh_token":"1//r","expires_in":3599,"token_type":"Bearer"})");
    GeminiAccount a;
    a.email = "user@example.com";
    a.projectId = "my-project";
    a.checked = true;
    a.clientId = "cid";
    a.clientSecret = "secret";
    a.tokenUri = "https://oauth2.googleapis.com/token";
    a.scopes = {"s1", "s2"};
    const auto c = geminiCredential(t, a, kNow);
    EXPECT_EQ(c.fileName, "gemini-user@example.com-my-project.json");
    EXPECT_EQ(keys(c.content), (std::vector<std::string>{"auto", "checked", "email", "project_id", "token", "type"}));
    const Value& tok = *c.content.find("token");
    EXPECT_EQ(keys(tok), (std::vector<std::string>{"access_token", "client_id", "client_secret", "expires_in", "expiry",
                                                   "refresh_token", "scopes", "token_type", "token_uri",
                                                   "universe_domain"}));
    EXPECT_EQ(tok.find("expires_in")->asInt(), 3599);
    EXPECT_EQ(tok.find("expiry")->asString(), sdk::formatRfc3339Nano(sdk::localTime(kNow + std::chrono::seconds(3599))));
    EXPECT_NE(tok.find("expiry")->asString().find(".123"), std::string::npos);
    EXPECT_EQ(cpa::sdk::toJson(*tok.find("scopes")), R"(["s1","s2"])");
    EXPECT_EQ(c.content.find("type")->asString(), "gemini");
    EXPECT_EQ(geminiFileName("e", "ALL"), "gemini-e-all.json");
    EXPECT_EQ(geminiFileName("e", "p1,p2"), "gemini-e-all.json");
}

TEST(LoginTokens, AntigravityFile) {
    const GoogleToken t = parseGoogleToken(R"({"access_token":"at","refresh_token":"rt","expires_in":3599})");
    const auto c = antigravityCredential(t, "user@example.com", "proj-1", kNow);
    EXPECT_EQ(c.fileName, "antigravity-user@example.com.json");
    EXPECT_EQ(cpa::sdk::toJson(c.content),
              R"({"access_token":"at","disabled":false,"email":"user@example.com","expired":")" +
                  sdk::formatRfc3339(sdk::localTime(kNow + std::chrono::seconds(3599))) +
                  R"(","expires_in":3599,"project_id":"proj-1","refresh_token":"rt","timestamp":1777608003123,)"
                  R"("type":"antigravity"})");
    EXPECT_FALSE(antigravityCredential(t, "e", "", kNow).content.contains("project_id"));
    EXPECT_EQ(antigravityCredential(t, "", "", kNow).fileName, "antigravity.json");
}

TEST(LoginTokens, KimiFile) {
    const auto c = kimiCredential(
        R"({"access_token":"at","refresh_token":"rt","expires_in":3600,"scope":"kimi-code","token_type":"Bearer"})",
        "dev-1", kNow);
    EXPECT_EQ(c.fileName, "kimi-1777608003123.json");
    EXPECT_EQ(cpa::sdk::toJson(c.content),
              R"({"access_token":"at","device_id":"dev-1","expired":"2026-05-01T05:00:03Z","refresh_token":"rt",)"
              R"("scope":"kimi-code","timestamp":1777608003123,"token_type":"Bearer","type":"kimi"})");
    const auto bare = kimiCredential(R"({"access_token":"at"})", "", kNow);
    EXPECT_FALSE(bare.content.contains("device_id"));
    EXPECT_FALSE(bare.content.contains("expired"));
    EXPECT_TRUE(bare.content.contains("scope"));
    EXPECT_TRUE(c.indented);
    EXPECT_EQ(bare.bytes(), "{\n  \"access_token\": \"at\",\n  \"refresh_token\": \"\",\n  \"scope\": \"\",\n"
                            "  \"timestamp\": 1777608003123,\n  \"token_type\": \"\",\n  \"type\": \"kimi\"\n}\n");
}

TEST(LoginTokens, CompactFilesEndWithNewline) {
    const auto c = claudeCredential(R"({"access_token":"a<b"})", kNow);
    EXPECT_FALSE(c.indented);
    EXPECT_EQ(c.bytes().rfind("{\"access_token\":\"a\\u003cb\",\"email\":\"\",", 0), 0u) << c.bytes();
    EXPECT_EQ(c.bytes().back(), '\n');
}
