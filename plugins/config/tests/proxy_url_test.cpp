#include "proxy_url.hpp"

#include <gtest/gtest.h>

namespace cpa::config {
namespace {

TEST(ProxyUrl, EmptyMeansEnvironmentAndDirectNoneMeanNoProxy) {
    EXPECT_EQ(parseProxySetting("")->mode, ProxyMode::Environment);
    EXPECT_EQ(parseProxySetting("   ")->mode, ProxyMode::Environment);
    EXPECT_EQ(parseProxySetting("direct")->mode, ProxyMode::Direct);
    EXPECT_EQ(parseProxySetting(" NONE ")->mode, ProxyMode::Direct);
    EXPECT_EQ(parseProxySetting("Direct")->mode, ProxyMode::Direct);
}

TEST(ProxyUrl, SupportedSchemesWithHostAndDefaultPorts) {
    auto s = parseProxySetting("socks5://user:pa%40ss@proxy.example:1080");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->mode, ProxyMode::Url);
    EXPECT_EQ(s->endpoint.scheme, "socks5");
    EXPECT_EQ(s->endpoint.host, "proxy.example");
    EXPECT_EQ(s->endpoint.port, 1080);
    EXPECT_TRUE(s->endpoint.hasCredentials);
    EXPECT_EQ(s->endpoint.user, "user");
    EXPECT_EQ(s->endpoint.password, "pa@ss");

    EXPECT_EQ(parseProxySetting("http://p.example")->endpoint.port, 80);
    EXPECT_EQ(parseProxySetting("https://p.example")->endpoint.port, 443);
    EXPECT_EQ(parseProxySetting("socks5h://p.example")->endpoint.port, 1080);
    EXPECT_EQ(parseProxySetting("HTTP://p.example:3128")->endpoint.scheme, "http");
    EXPECT_EQ(parseProxySetting("http://[::1]:3128")->endpoint.host, "::1");
    EXPECT_FALSE(parseProxySetting("http://p.example")->endpoint.hasCredentials);
}

TEST(ProxyUrl, EverythingElseIsInvalid) {
    for (const char* bad : {"ftp://p.example", "p.example:3128", "http://", "http://:8080", "socks4://p.example",
                            "http://p.example:99999", "banana", "//p.example"}) {
        EXPECT_FALSE(parseProxySetting(bad)) << bad;
    }
}

}  // namespace
}  // namespace cpa::config
