#include "login/oauth_text.hpp"

#include <gtest/gtest.h>

using namespace cpa::oauth::login;

TEST(LoginText, StateValidation) {
    EXPECT_TRUE(isValidState("0123456789abcdef0123456789abcdef"));
    EXPECT_TRUE(isValidState("  gem-1777608003123456789 "));
    EXPECT_TRUE(isValidState("a.b_c-D"));
    EXPECT_FALSE(isValidState(""));
    EXPECT_FALSE(isValidState("   "));
    EXPECT_FALSE(isValidState("a..b"));
    EXPECT_FALSE(isValidState("a/b"));
    EXPECT_FALSE(isValidState("a\\b"));
    EXPECT_FALSE(isValidState("a b"));
    EXPECT_FALSE(isValidState("ä"));
    EXPECT_TRUE(isValidState(std::string(128, 'x')));
    EXPECT_FALSE(isValidState(std::string(129, 'x')));
}

TEST(LoginText, CallbackProviderNames) {
    EXPECT_EQ(normalizeCallbackProvider(" Claude "), "anthropic");
    EXPECT_EQ(normalizeCallbackProvider("anthropic"), "anthropic");
    EXPECT_EQ(normalizeCallbackProvider("OPENAI"), "codex");
    EXPECT_EQ(normalizeCallbackProvider("google"), "gemini");
    EXPECT_EQ(normalizeCallbackProvider("anti-gravity"), "antigravity");
    EXPECT_EQ(normalizeCallbackProvider("gemini-cli"), "");
    EXPECT_EQ(normalizeCallbackProvider("kimi"), "");
}

TEST(LoginText, WebUiFlag) {
    for (const char* yes : {"1", "true", " TRUE ", "yes", "On"}) EXPECT_TRUE(isTruthyFlag(yes)) << yes;
    for (const char* no : {"", "0", "false", "y", "enable"}) EXPECT_FALSE(isTruthyFlag(no)) << no;
}

TEST(LoginText, FormEncodingSortsKeysAndUsesPlus) {
    EXPECT_EQ(formEncode({{"state", "s"}, {"scope", "a b:c"}, {"redirect_uri", "http://localhost:1/cb?x=1"}}),
              "redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb%3Fx%3D1&scope=a+b%3Ac&state=s");
}

TEST(LoginText, QueryParsing) {
    const QueryPairs q = parseQuery("code=a%2Fb+c&state=xyz&empty&bad=%zz");
    EXPECT_EQ(firstValue(q, "code"), "a/b c");
    EXPECT_EQ(firstValue(q, "state"), "xyz");
    EXPECT_EQ(firstValue(q, "empty"), "");
    EXPECT_EQ(firstValue(q, "bad"), "%zz");
    EXPECT_EQ(firstValue(q, "missing"), "");
}
