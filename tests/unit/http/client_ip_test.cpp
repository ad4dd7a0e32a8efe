#include "http/client_ip.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cpa::core {
namespace {

TEST(ClientIp, NormalisesPeer) {
    EXPECT_EQ(normalizePeerAddress("::ffff:127.0.0.1"), "127.0.0.1");
    EXPECT_EQ(normalizePeerAddress("::FFFF:10.1.2.3"), "10.1.2.3");
    EXPECT_EQ(normalizePeerAddress("[::1]"), "::1");
    EXPECT_EQ(normalizePeerAddress("::1"), "::1");
    EXPECT_EQ(normalizePeerAddress("fe80::1%eth0"), "fe80::1");
    EXPECT_EQ(normalizePeerAddress("192.168.0.1"), "192.168.0.1");
}

TEST(ClientIp, IpLiterals) {
    EXPECT_TRUE(isIpLiteral("1.2.3.4"));
    EXPECT_TRUE(isIpLiteral("2001:db8::1"));
    EXPECT_FALSE(isIpLiteral("1.2.3"));
    EXPECT_FALSE(isIpLiteral("localhost"));
    EXPECT_FALSE(isIpLiteral("[::1]"));
    EXPECT_FALSE(isIpLiteral(""));
    EXPECT_FALSE(isIpLiteral("1.2.3.4 "));
}

TEST(ClientIp, CidrMatching) {
    TrustedProxies t({"10.0.0.0/8", "192.168.1.7", "fd00::/8", " 172.16.0.0/12 ", "::ffff:100.64.0.0/106"});
    EXPECT_TRUE(t.contains("10.255.0.1"));
    EXPECT_FALSE(t.contains("11.0.0.1"));
    EXPECT_TRUE(t.contains("192.168.1.7"));
    EXPECT_FALSE(t.contains("192.168.1.8"));
    EXPECT_TRUE(t.contains("172.31.255.255"));
    EXPECT_FALSE(t.contains("172.32.0.0"));
    EXPECT_TRUE(t.contains("fd12:3456::1"));
    EXPECT_FALSE(t.contains("fe80::1"));
    EXPECT_TRUE(t.contains("::ffff:10.0.0.1"));  // mapped v4 matches v4 nets
    EXPECT_TRUE(t.contains("100.64.0.1"));       // mapped CIDR is a v4 net
    EXPECT_FALSE(t.contains("100.128.0.1"));
    EXPECT_FALSE(t.contains("not-an-ip"));
    EXPECT_FALSE(TrustedProxies().contains("127.0.0.1"));
}

TEST(ClientIp, OddPrefixLengths) {
    TrustedProxies t({"10.0.0.128/25", "2001:db8::/33", "0.0.0.0/0"});
    EXPECT_TRUE(t.contains("10.0.0.200"));
    EXPECT_TRUE(t.contains("2001:db8:7fff::1"));
    EXPECT_FALSE(t.contains("2001:db8:8000::1"));
    EXPECT_TRUE(t.contains("8.8.8.8"));  // /0 matches every IPv4
}

TEST(ClientIp, RejectsInvalidEntries) {
    for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "bogus", "10.0.0/8", "", "1.2.3.4/8/8"}) {
        std::string why;
        EXPECT_FALSE(TrustedProxies::validEntry(bad, &why)) << bad;
        EXPECT_FALSE(why.empty()) << bad;
        EXPECT_THROW(TrustedProxies({bad}), std::invalid_argument) << bad;
    }
    EXPECT_TRUE(TrustedProxies::validEntry("::1"));
    EXPECT_TRUE(TrustedProxies::validEntry("10.0.0.0/8"));
}

}  // namespace
}  // namespace cpa::core
