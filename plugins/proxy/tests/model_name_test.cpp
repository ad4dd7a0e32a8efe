#include "routing/model_name.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy {
namespace {

TEST(ModelName, ThinkingSuffixSplitsAtLastParen) {
    auto s = splitThinkingSuffix("gpt-5(high)");
    EXPECT_EQ(s.base, "gpt-5");
    EXPECT_EQ(s.suffix, "high");
    EXPECT_TRUE(s.hasSuffix);
    s = splitThinkingSuffix("a(b)(8192)");
    EXPECT_EQ(s.base, "a(b)");
    EXPECT_EQ(s.suffix, "8192");
    EXPECT_FALSE(splitThinkingSuffix("plain").hasSuffix);
    EXPECT_FALSE(splitThinkingSuffix("x)").hasSuffix);
    EXPECT_EQ(stripThinkingSuffix("m()"), "m");
}

TEST(ModelName, PrefixStripOnlyOnWholeSegment) {
    EXPECT_EQ(stripCredentialPrefix("teamA/gpt", "teamA"), "gpt");
    EXPECT_EQ(stripCredentialPrefix("teamAB/gpt", "teamA"), "teamAB/gpt");
    EXPECT_EQ(stripCredentialPrefix("gpt", ""), "gpt");
    EXPECT_EQ(stripCredentialPrefix("teamA/", "teamA"), "");
}

TEST(ModelName, WildcardPatterns) {
    EXPECT_TRUE(matchModelPattern("gemini-2.5-*", "gemini-2.5-pro"));
    EXPECT_TRUE(matchModelPattern("*-preview", "gemini-3-pro-preview"));
    EXPECT_TRUE(matchModelPattern("*flash*", "gemini-2.5-flash-lite"));
    EXPECT_TRUE(matchModelPattern("a*b*c", "axxbyyc"));
    EXPECT_FALSE(matchModelPattern("a*c*b", "axxbyyc"));
    EXPECT_TRUE(matchModelPattern("GPT-4O", "gpt-4o"));
    EXPECT_FALSE(matchModelPattern("gpt-4", "gpt-4o"));
    EXPECT_FALSE(matchModelPattern("", "x"));
    EXPECT_TRUE(matchModelPattern("*", "anything"));
}

}  // namespace
}  // namespace cpa::proxy
