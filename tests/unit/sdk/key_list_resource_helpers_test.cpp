// Appendix A helpers exported with KeyListResource: H, X, P, index parsing, trim.
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/key_list_resource.hpp>

#include <gtest/gtest.h>

using namespace cpa::sdk;

TEST(KeyListHelpers, TrimSpaceRemovesAsciiAndUnicodeWhiteSpace) {
    EXPECT_EQ(trimSpace("  a b \t\n"), "a b");
    EXPECT_EQ(trimSpace("\xC2\xA0key\xE3\x80\x80"), "key");  // NBSP, ideographic space
    EXPECT_EQ(trimSpace("\xE2\x80\x83x\xE2\x80\xA8"), "x");   // em space, line separator
    EXPECT_EQ(trimSpace("caf\xC3\xA9"), "caf\xC3\xA9");        // a non-space multibyte end stays
    EXPECT_EQ(trimSpace("   "), "");
}

TEST(KeyListHelpers, HeadersAreTrimmedEmptiesDroppedAndSorted) {
    auto h = normalizeHeaders(parseJson(R"({" X-B ":" 2 ","X-A":"1","x-a":"3","Empty":"  ","  ":"v","N":5})"));
    ASSERT_TRUE(h);
    EXPECT_EQ(toJson(*h), R"({"N":"5","X-A":"1","X-B":"2","x-a":"3"})");
    EXPECT_FALSE(normalizeHeaders(parseJson(R"({"A":" "})")));
    EXPECT_FALSE(normalizeHeaders(Value("x")));
}

TEST(KeyListHelpers, ExcludedModelsAreLowerCasedDedupedAndEmptiesDropped) {
    auto x = normalizeExcludedModels(parseJson(R"([" GPT-5* ","gpt-5*","","*mini","*MINI"])"));
    ASSERT_TRUE(x);
    EXPECT_EQ(toJson(*x), R"(["gpt-5*","*mini"])");
    EXPECT_FALSE(normalizeExcludedModels(parseJson(R"(["  ",""])")));
    EXPECT_FALSE(normalizeExcludedModels(Value::object()));
}

TEST(KeyListHelpers, PrefixStripsSlashesAndDiscardsNestedOnes) {
    EXPECT_EQ(normalizeModelPrefix(" /teamA/ "), "teamA");
    EXPECT_EQ(normalizeModelPrefix("a/b"), "");
    EXPECT_EQ(normalizeModelPrefix("///"), "");
    EXPECT_EQ(normalizeModelPrefix("x"), "x");
}

TEST(KeyListHelpers, IndexParsesLikeScanfPercentD) {
    EXPECT_EQ(parseIndexParam("2"), 2);
    EXPECT_EQ(parseIndexParam("  2abc"), 2);
    EXPECT_EQ(parseIndexParam("-1"), -1);
    EXPECT_EQ(parseIndexParam("+3"), 3);
    EXPECT_FALSE(parseIndexParam(""));
    EXPECT_FALSE(parseIndexParam("abc"));
    EXPECT_FALSE(parseIndexParam("-"));
    EXPECT_FALSE(parseIndexParam("99999999999999999999999"));
}
