// Percent-encoding (cpa/sdk/url_encoding.hpp): each character set against
// the copy it replaced (Poco's URI::encode for form values, Go's QueryEscape).
#include <cpa/sdk/url_encoding.hpp>

#include <Poco/URI.h>

#include <gtest/gtest.h>

using namespace cpa::sdk;

TEST(UrlEncoding, PercentEncodeIsPocoWithEveryReservedCharacter) {
    std::string all;
    for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
    std::string poco;
    Poco::URI::encode(all, "!#$&'()*+,/:;=?@[]", poco);
    EXPECT_EQ(percentEncode(all), poco);
    EXPECT_EQ(percentEncode("a b/ü~"), "a%20b%2F%C3%BC~");
}

TEST(UrlEncoding, QueryEscapeWritesSpaceAsPlus) {
    EXPECT_EQ(queryEscape("a b:c/d?e=f&g~h.i_j-k"), "a+b%3Ac%2Fd%3Fe%3Df%26g~h.i_j-k");
    EXPECT_EQ(queryEscape("\x01\xff"), "%01%FF");
}

TEST(UrlEncoding, RequestTargetKeepsWhatTheCallerWrote) {
    EXPECT_EQ(escapeRequestTarget("/v1/a$b?c=d&e=%41"), "/v1/a$b?c=d&e=%41");
    EXPECT_EQ(escapeRequestTarget("/a b\x7f\xc3\xbc\t"), "/a%20b%7F%C3%BC%09");
}

TEST(UrlEncoding, StrictDecode) {
    EXPECT_EQ(percentDecode("a%20b+c", false), "a b+c");
    EXPECT_EQ(percentDecode("a%20b+c", true), "a b c");
    EXPECT_EQ(percentDecode("%e2%82%AC", false), "\xe2\x82\xac");
    EXPECT_EQ(percentDecode("%G1", false), std::nullopt);
    EXPECT_EQ(percentDecode("abc%", false), std::nullopt);
    EXPECT_EQ(percentDecode("abc%4", false), std::nullopt);
}

TEST(UrlEncoding, LenientDecodeKeepsMalformedEscapes) {
    EXPECT_EQ(percentDecodeLenient("a%2Fb+c&bad=%zz%4", true), "a/b c&bad=%zz%4");
    EXPECT_EQ(percentDecodeLenient("a+b%41", false), "a+bA");
    EXPECT_EQ(percentDecodeLenient("%+1", true), "% 1");
}
