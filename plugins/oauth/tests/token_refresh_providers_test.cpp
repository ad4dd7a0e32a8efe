// The refresh results of Gemini CLI, Kimi and Antigravity files
// (oauth-executors.md §2.4, §2.5; issue 21) and where their tokens are read.
#include "tokens/refresh_call.hpp"
#include "tokens/refresh_policy.hpp"

#include <cpa/sdk/json.hpp>

#include <gtest/gtest.h>

using namespace cpa;
using namespace cpa::oauth;

namespace {
constexpr std::int64_t kS = 1'000'000'000LL;
const auto kNow = std::chrono::system_clock::from_time_t(1800000000);
}  // namespace

TEST(RefreshProviders, GeminiTokensLiveInTheTokenObject) {
    const sdk::Value file = sdk::parseJson(
        R"({"project_id":"p","type":"gemini","token":{"access_token":"ya29.a","refresh_token":"r","expiry":"2027-01-01T00:00:00Z","client_id":"c"}})");
    EXPECT_EQ(storedAccessToken(file), "ya29.a");
    EXPECT_EQ(storedRefreshToken(file), "r");
    EXPECT_EQ(storedAccessToken(sdk::parseJson(R"({"access_token":"top"})")), "top");
    EXPECT_TRUE(refreshableProvider("gemini-cli"));
    EXPECT_TRUE(refreshableProvider("kimi"));
    EXPECT_FALSE(refreshableProvider("vertex"));

    const sdk::Value after =
        mergeRefreshed("gemini-cli", file, R"({"access_token":"ya29.b","expires_in":3600,"token_type":"Bearer"})", kNow);
    const sdk::Value* token = after.find("token");
    ASSERT_TRUE(token);
    EXPECT_EQ(token->find("access_token")->asString(), "ya29.b");
    EXPECT_EQ(token->find("refresh_token")->asString(), "r");  // Google sent none: kept
    EXPECT_EQ(token->find("client_id")->asString(), "c");
    EXPECT_EQ(tokenExpiryNs(after), (1800000000LL + 3600) * kS);
    EXPECT_EQ(after.find("type")->asString(), "gemini");  // the file's type stays as the login wrote it
    EXPECT_EQ(after.find("project_id")->asString(), "p");
}

TEST(RefreshProviders, KimiAndAntigravityMergeAsTheOriginal) {
    const sdk::Value kimi = sdk::parseJson(R"({"access_token":"k1","refresh_token":"r","device_id":"d","type":"kimi"})");
    const sdk::Value k = mergeRefreshed("kimi", kimi, R"({"access_token":"k2","refresh_token":"r2","expires_in":600})", kNow);
    EXPECT_EQ(k.find("access_token")->asString(), "k2");
    EXPECT_EQ(k.find("refresh_token")->asString(), "r2");
    EXPECT_EQ(k.find("device_id")->asString(), "d");
    EXPECT_EQ(k.find("expired")->asString().back(), 'Z');
    const sdk::Value noLife = mergeRefreshed("kimi", kimi, R"({"access_token":"k3"})", kNow);
    EXPECT_FALSE(noLife.find("expired"));  // no lifetime, no expiry (oauth-executors.md §2.4)

    const sdk::Value ag = mergeRefreshed("antigravity", sdk::parseJson(R"({"access_token":"a","refresh_token":"r"})"),
                                         R"({"access_token":"a2","expires_in":3599})", kNow);
    EXPECT_EQ(ag.find("expires_in")->asInt(), 3599);
    EXPECT_EQ(ag.find("timestamp")->asInt(), 1800000000000LL);
    EXPECT_FALSE(ag.find("last_refresh"));
    EXPECT_THROW(mergeRefreshed("kimi", kimi, R"({"refresh_token":"x"})", kNow), std::runtime_error);
}
