// Hex, base64 and SHA-256 (cpa/sdk/hex.hpp, base64.hpp, sha256.hpp).
#include <cpa/sdk/base64.hpp>
#include <cpa/sdk/hex.hpp>
#include <cpa/sdk/sha256.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

using namespace cpa::sdk;

TEST(Hex, DigitsAndBytes) {
    EXPECT_EQ(hexLower(std::string("\x00\x7f\xab\xff", 4)), "007fabff");
    std::string upper;
    appendHexByte(upper, 0xAB, kHexUpper);
    EXPECT_EQ(upper, "AB");
    EXPECT_EQ(hexDigitValue('0'), 0);
    EXPECT_EQ(hexDigitValue('f'), 15);
    EXPECT_EQ(hexDigitValue('F'), 15);
    EXPECT_EQ(hexDigitValue('g'), -1);
    EXPECT_EQ(hexDigitValue('%'), -1);
}

TEST(Base64, UrlRoundTripAndPadding) {
    EXPECT_EQ(base64UrlEncode("f"), "Zg");
    EXPECT_EQ(base64UrlEncode("fo"), "Zm8");
    EXPECT_EQ(base64UrlEncode("foo"), "Zm9v");
    EXPECT_EQ(base64UrlEncode("\xfb\xff"), "-_8");
    EXPECT_EQ(base64UrlDecode("-_8"), "\xfb\xff");
    EXPECT_EQ(base64UrlDecode("+/8="), "\xfb\xff");
    EXPECT_EQ(base64UrlDecode("Zm8="), "fo");
    EXPECT_EQ(base64UrlDecode(""), "");
    EXPECT_THROW(base64UrlDecode("Z"), std::invalid_argument);
    EXPECT_THROW(base64UrlDecode("Zm!v"), std::invalid_argument);
    EXPECT_THROW(base64UrlDecode("Zm 9v"), std::invalid_argument);
    std::string bytes;
    for (int i = 0; i < 300; ++i) bytes.push_back(static_cast<char>(i * 7));
    EXPECT_EQ(base64UrlDecode(base64UrlEncode(bytes)), bytes);
    EXPECT_EQ(base64UrlEncode(bytes).find('\n'), std::string::npos);
}

TEST(Base64, StandardIsPaddedOnOneLine) {
    EXPECT_EQ(base64Encode("user:pa ss"), "dXNlcjpwYSBzcw==");
    EXPECT_EQ(base64Encode(std::string(100, 'x')).find('\n'), std::string::npos);
}

TEST(Sha256, HexAndBytes) {
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hexLower(sha256Bytes("abc")), sha256Hex("abc"));
    EXPECT_EQ(sha256Bytes("").size(), 32u);
}
