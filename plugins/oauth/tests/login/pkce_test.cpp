#include "login/pkce.hpp"

#include <gtest/gtest.h>

#include <regex>

using namespace cpa::oauth::login;

TEST(LoginPkce, S256MatchesAnIndependentDigest) {
    // Expected value from: printf '<verifier>' | openssl dgst -sha256 -binary | base64 | tr '+/' '-_'
    EXPECT_EQ(pkceChallenge("dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk"),
              "ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc");
}

TEST(LoginPkce, VerifierIs128UrlSafeCharsAndChallengeMatches) {
    const PkceCodes a = generatePkce();
    const PkceCodes b = generatePkce();
    EXPECT_EQ(a.verifier.size(), 128u);
    EXPECT_TRUE(std::regex_match(a.verifier, std::regex("[A-Za-z0-9_-]{128}")));
    EXPECT_EQ(a.challenge, pkceChallenge(a.verifier));
    EXPECT_EQ(a.challenge.size(), 43u);
    EXPECT_NE(a.verifier, b.verifier);
}

TEST(LoginPkce, StateFormats) {
    EXPECT_TRUE(std::regex_match(randomHexState(), std::regex("[0-9a-f]{32}")));
    EXPECT_NE(randomHexState(), randomHexState());
    EXPECT_TRUE(std::regex_match(timeState("gem"), std::regex("gem-[0-9]{18,20}")));
    EXPECT_TRUE(std::regex_match(timeState("kmi"), std::regex("kmi-[0-9]{18,20}")));
    EXPECT_TRUE(std::regex_match(randomUuid(),
                                 std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
}
