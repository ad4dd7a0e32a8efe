// The forwarding-header walk of deviation D1: right to left, trusted proxies
// skipped, the first untrusted hop is the client, garbage is never local.
#include "http/client_ip.hpp"
#include "http/forwarded_header.hpp"

#include <gtest/gtest.h>

#include <map>

namespace cpa::core {
namespace {

const std::string kUnparsable(kUnparsableForwardedClient);

std::string xff(std::string_view value, const TrustedProxies& trusted) {
    return clientFromHops(parseXForwardedFor(value), trusted);
}

std::string fwd(std::string_view value, const TrustedProxies& trusted) {
    return clientFromHops(parseForwarded(value), trusted);
}

TEST(ForwardedHeader, SpoofedLeftEntriesThroughATrustedProxyNameTheRealClient) {
    const TrustedProxies local({"127.0.0.1"});
    // Every form reported against the old left-most rule.
    for (const char* spoof : {"1.2.3.4", "127.0.0.1, 1.2.3.4", "::1, 1.2.3.4", "garbage, 1.2.3.4", ", 1.2.3.4",
                              "127.0.0.1:80, 1.2.3.4", "[::1]:80, 1.2.3.4", "127.0.0.1,1.2.3.4"}) {
        EXPECT_EQ(xff(spoof, local), "1.2.3.4") << spoof;
    }
}

TEST(ForwardedHeader, UnparsableHopEndsTheWalkAsRemote) {
    const TrustedProxies local({"127.0.0.1"});
    for (const char* v : {"garbage", "1.2.3.4, garbage", "1.2.3.4,", "127.0.0.1, garbage, 127.0.0.1", "localhost",
                          "127.0.0.1:", "127.0.0.1:99999x", "[127.0.0.1]", "[::1", "::1]", "1.2.3.4 5.6.7.8",
                          "\"127.0.0.1\"", "unknown"}) {
        const std::string client = xff(v, local);
        EXPECT_EQ(client, kUnparsable) << v;
        EXPECT_NE(client, "127.0.0.1");
        EXPECT_NE(client, "::1");
    }
}

TEST(ForwardedHeader, TrustedChainsAreSkipped) {
    const TrustedProxies proxies({"10.0.0.0/8", "2001:db8::/32", "127.0.0.1"});
    EXPECT_EQ(xff("203.0.113.7, 10.0.0.2, 10.9.9.9", proxies), "203.0.113.7");
    EXPECT_EQ(xff("198.51.100.1, 203.0.113.7, 10.0.0.2", proxies), "203.0.113.7") << "only the first untrusted hop";
    EXPECT_EQ(xff("[2001:db8::5]:443, 10.0.0.2", proxies), "2001:db8::5") << "all trusted: the left-most";
    EXPECT_EQ(xff("127.0.0.1", proxies), "127.0.0.1") << "a local client behind a local proxy stays local";
    EXPECT_EQ(xff("", proxies), "") << "blank: the header says nothing";
    EXPECT_EQ(xff("  \t", proxies), "");
}

TEST(ForwardedHeader, AddressesAreCanonical) {
    const TrustedProxies none;
    EXPECT_EQ(xff("::ffff:127.0.0.1", none), "127.0.0.1");
    EXPECT_EQ(xff("0:0:0:0:0:0:0:1", none), "::1");
    EXPECT_EQ(xff("[2001:DB8:0::1]:8080", none), "2001:db8::1");
    EXPECT_EQ(xff("fe80::1%eth0", none), "fe80::1");
    EXPECT_EQ(xff(" 1.2.3.4:65535 ", none), "1.2.3.4");
    EXPECT_EQ(xff("1.2.3.4:_hidden", none), "1.2.3.4") << "RFC 7239 obfuscated port";
}

TEST(ForwardedHeader, Rfc7239Syntax) {
    const TrustedProxies proxies({"127.0.0.1", "::1"});
    EXPECT_EQ(fwd("for=192.0.2.60;proto=http;by=203.0.113.43", proxies), "192.0.2.60");
    EXPECT_EQ(fwd("For=\"[2001:db8:cafe::17]:4711\"", proxies), "2001:db8:cafe::17");
    EXPECT_EQ(fwd("for=\"192.0.2.43:47011\", for=127.0.0.1", proxies), "192.0.2.43");
    EXPECT_EQ(fwd("for=1.2.3.4, for=\"[::1]\"", proxies), "1.2.3.4");
    EXPECT_EQ(fwd("for=127.0.0.1, for=1.2.3.4", proxies), "1.2.3.4") << "the left entry is the client's own";
    EXPECT_EQ(fwd("for=\"garbage\", for=1.2.3.4", proxies), "1.2.3.4");
    EXPECT_EQ(fwd("for=\"a,b\";by=x, for=1.2.3.4", proxies), "1.2.3.4") << "comma inside quotes";
    EXPECT_EQ(fwd("for=\"1.2.\\3.4\"", proxies), "1.2.3.4") << "quoted-pair";
    EXPECT_EQ(fwd("proto=https; for = 1.2.3.4 ", proxies), "1.2.3.4");
    EXPECT_EQ(fwd("for=127.0.0.1", proxies), "127.0.0.1");
}

TEST(ForwardedHeader, Rfc7239GarbageIsRemote) {
    const TrustedProxies proxies({"127.0.0.1"});
    for (const char* v : {"for=unknown", "for=_hidden", "proto=http", "for=1.2.3.4;for=127.0.0.1", "for=\"127.0.0.1",
                          "for=\"127.0.0.1\"x", "for", "for=", "1.2.3.4", "for=1.2.3.4, by=127.0.0.1",
                          "for=1.2.3.4, for=\"127.0.0.1"}) {
        EXPECT_EQ(fwd(v, proxies), kUnparsable) << v;
    }
}

TEST(ForwardedHeader, OneHeaderDecidesInOrder) {
    const TrustedProxies proxies({"10.0.0.0/8", "::1"});
    std::map<std::string, std::string> headers;
    const HeaderLookup lookup = [&headers](std::string_view name) -> std::optional<std::string> {
        auto it = headers.find(std::string(name));
        if (it == headers.end()) return std::nullopt;
        return it->second;
    };
    EXPECT_EQ(resolveClientIp("10.1.1.1", proxies, lookup), "10.1.1.1") << "no header: the peer";
    headers["X-Real-IP"] = "198.51.100.3";
    EXPECT_EQ(resolveClientIp("10.1.1.1", proxies, lookup), "198.51.100.3");
    headers["Forwarded"] = "for=198.51.100.4";
    EXPECT_EQ(resolveClientIp("10.1.1.1", proxies, lookup), "198.51.100.4");
    headers["X-Forwarded-For"] = "198.51.100.5";
    EXPECT_EQ(resolveClientIp("10.1.1.1", proxies, lookup), "198.51.100.5");
    headers["X-Forwarded-For"] = "garbage";
    EXPECT_EQ(resolveClientIp("10.1.1.1", proxies, lookup), kUnparsable) << "no fall-through past garbage";
    headers["X-Forwarded-For"] = " ";
    EXPECT_EQ(resolveClientIp("10.1.1.1", proxies, lookup), "198.51.100.4") << "blank: the next header";
    // An untrusted peer: headers never read.
    EXPECT_EQ(resolveClientIp("203.0.113.9", proxies, lookup), "203.0.113.9");
    EXPECT_EQ(resolveClientIp("203.0.113.9", TrustedProxies(), lookup), "203.0.113.9");
}

}  // namespace
}  // namespace cpa::core
