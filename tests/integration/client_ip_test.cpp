// Client address handling (deviation D1): the socket peer, forwarded headers
// only from trusted proxies. The client binds 127.0.0.2 to be a "remote" peer.
#include "integration_support.hpp"

#include <gtest/gtest.h>

namespace cpa::test {
namespace {

HttpClientOptions from(const std::string& local) {
    HttpClientOptions o;
    o.localAddress = local;
    return o;
}

TEST(ClientIp, PeerIsTheSocketAddress) {
    ServerProcess server(testkitServer());
    HttpClient client("127.0.0.1", server.port(), from("127.0.0.2"));
    const HttpResponse r = client.get("/test/echo-ip");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto obj = jsonObject(r.body);
    EXPECT_EQ(obj->getValue<std::string>("peer"), "127.0.0.2");
    EXPECT_EQ(obj->getValue<std::string>("client"), "127.0.0.2");
}

TEST(ClientIp, ForwardedHeadersFromAnUntrustedPeerAreIgnored) {
    ServerProcess server(testkitServer());
    HttpClient client("127.0.0.1", server.port(), from("127.0.0.2"));
    const HttpResponse r =
        client.get("/test/echo-ip", {{"X-Forwarded-For", "127.0.0.1"}, {"X-Real-IP", "127.0.0.1"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(jsonObject(r.body)->getValue<std::string>("client"), "127.0.0.2");
}

TEST(ClientIp, ForwardedForIsHonouredFromATrustedProxy) {
    ServerProcess server(testkitServer("trusted-proxies: [\"127.0.0.2\"]\n"));
    HttpClient client("127.0.0.1", server.port(), from("127.0.0.2"));
    const HttpResponse r = client.get("/test/echo-ip", {{"X-Forwarded-For", "203.0.113.7"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto obj = jsonObject(r.body);
    EXPECT_EQ(obj->getValue<std::string>("peer"), "127.0.0.2");
    EXPECT_EQ(obj->getValue<std::string>("client"), "203.0.113.7");

    // A different peer is not trusted by that list.
    HttpClient other("127.0.0.1", server.port(), from("127.0.0.3"));
    const HttpResponse r2 = other.get("/test/echo-ip", {{"X-Forwarded-For", "203.0.113.7"}});
    EXPECT_EQ(jsonObject(r2.body)->getValue<std::string>("client"), "127.0.0.3");
}

TEST(ClientIp, ForwardingIsReadRightToLeftPastTrustedProxies) {
    ServerProcess server(testkitServer("trusted-proxies: [\"127.0.0.2\", \"10.0.0.0/8\"]\n"));
    HttpClient proxy("127.0.0.1", server.port(), from("127.0.0.2"));
    const std::vector<std::pair<HeaderList, std::string>> cases = {
        {{{"X-Forwarded-For", "127.0.0.1, 1.2.3.4"}}, "1.2.3.4"},
        {{{"X-Forwarded-For", "::1, 1.2.3.4"}}, "1.2.3.4"},
        {{{"X-Forwarded-For", "garbage, 1.2.3.4"}}, "1.2.3.4"},
        {{{"X-Forwarded-For", ", 1.2.3.4"}}, "1.2.3.4"},
        {{{"X-Forwarded-For", "127.0.0.1:80, 1.2.3.4"}}, "1.2.3.4"},
        {{{"X-Forwarded-For", "203.0.113.7, 10.0.0.5"}}, "203.0.113.7"},  // a chain of trusted proxies
        {{{"X-Forwarded-For", "127.0.0.1"}, {"X-Forwarded-For", "1.2.3.4"}}, "1.2.3.4"},
        {{{"Forwarded", "for=127.0.0.1, for=\"[2001:db8::7]:443\";proto=https"}}, "2001:db8::7"},
        {{{"X-Real-IP", "1.2.3.4"}}, "1.2.3.4"},
        {{{"X-Forwarded-For", "1.2.3.4, garbage"}}, "unparsable-forwarded-address"},
        {{{"Forwarded", "for=unknown"}}, "unparsable-forwarded-address"},
    };
    for (const auto& [headers, expected] : cases) {
        const HttpResponse r = proxy.get("/test/echo-ip", headers);
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(jsonObject(r.body)->getValue<std::string>("client"), expected) << headers.front().second;
    }
}

}  // namespace
}  // namespace cpa::test
