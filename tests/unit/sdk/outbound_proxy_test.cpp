// Outbound proxies (cpa/sdk/outbound_proxy.hpp): the URL, NO_PROXY, and both
// handshakes against a scripted proxy on a loopback socket.
#include <cpa/sdk/outbound_proxy.hpp>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>

using namespace cpa::sdk;

namespace {

/// Accepts one connection and runs `script` on it (in a thread).
class ScriptedProxy {
public:
    explicit ScriptedProxy(std::function<void(Poco::Net::StreamSocket&)> script)
        : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        thread_ = std::thread([this, script = std::move(script)] {
            Poco::Net::StreamSocket c = listener_.acceptConnection();
            c.setReceiveTimeout(Poco::Timespan(10, 0));
            script(c);
        });
    }
    ~ScriptedProxy() { thread_.join(); }
    Poco::Net::StreamSocket connect() {
        Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", listener_.address().port()));
        s.setReceiveTimeout(Poco::Timespan(10, 0));
        return s;
    }

private:
    Poco::Net::ServerSocket listener_;
    std::thread thread_;
};

std::string readExactly(Poco::Net::StreamSocket& s, std::size_t n) {
    std::string out(n, '\0');
    for (std::size_t got = 0; got < n;) {
        const int r = s.receiveBytes(out.data() + got, static_cast<int>(n - got));
        if (r <= 0) return out.substr(0, got);
        got += static_cast<std::size_t>(r);
    }
    return out;
}

std::string readHead(Poco::Net::StreamSocket& s) {
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos) {
        const std::string c = readExactly(s, 1);
        if (c.empty()) break;
        head += c;
    }
    return head;
}

template <class Fn>
void expectProxyError(Fn fn, const char* message) {
    try {
        fn();
        ADD_FAILURE() << "no error";
    } catch (const ProxyError& e) {
        EXPECT_STREQ(e.what(), message);
    }
}

}  // namespace

TEST(OutboundProxy, ParsesProxyUrls) {
    auto p = parseProxyUrl("  socks5h://us%20er:pa%40ss@proxy.example  ");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->scheme, "socks5h");
    EXPECT_EQ(p->host, "proxy.example");
    EXPECT_EQ(p->port, 1080);
    EXPECT_TRUE(p->hasCredentials);
    EXPECT_EQ(p->user, "us er");
    EXPECT_EQ(p->password, "pa@ss");
    EXPECT_TRUE(isSocks5(*p));
    EXPECT_EQ(parseProxyUrl("HTTPS://[::1]")->port, 443);
    EXPECT_EQ(parseProxyUrl("HTTPS://[::1]")->host, "::1");
    for (const char* bad : {"", "direct", "p:1", "ftp://p", "http://", "http://p:99999"}) EXPECT_FALSE(parseProxyUrl(bad)) << bad;
    EXPECT_EQ(proxyBasicAuth(*p), "Basic dXMgZXI6cGFAc3M=");
    EXPECT_EQ(proxyBasicAuth(*parseProxyUrl("http://p:1")), "");
    EXPECT_EQ(hostPort("::1", 443), "[::1]:443");
    EXPECT_EQ(hostPort("a.example", 80), "a.example:80");
}

TEST(OutboundProxy, NoProxyList) {
    EXPECT_TRUE(noProxyExcludes("*", "anything"));
    EXPECT_TRUE(noProxyExcludes(" other , .Example.COM:443", "api.example.com"));
    EXPECT_TRUE(noProxyExcludes("example.com", "EXAMPLE.com"));
    EXPECT_FALSE(noProxyExcludes("example.com", "badexample.com"));
    EXPECT_FALSE(noProxyExcludes("", "example.com"));
    EXPECT_FALSE(noProxyExcludes(",,", "example.com"));
}

TEST(OutboundProxy, Socks5WithCredentialsConnectsByName) {
    std::string seen;
    ScriptedProxy proxy([&](Poco::Net::StreamSocket& c) {
        seen = readExactly(c, 4);  // greeting: two methods
        c.sendBytes("\x05\x02", 2);
        seen += readExactly(c, 1 + 1 + 5 + 1 + 6);  // 0x01, "alice", "s3cret"
        c.sendBytes("\x01\x00", 2);
        seen += readExactly(c, 4 + 1 + 11 + 2);  // CONNECT, ATYP 3, "api.example", port
        c.sendBytes("\x05\x00\x00\x03\x03" "abc" "\x01\xbb", 10);
        c.sendBytes("tunnel", 6);
    });
    Poco::Net::StreamSocket s = proxy.connect();
    socks5Connect(s, *parseProxyUrl("socks5://alice:s3cret@127.0.0.1:1"), "api.example", 443);
    EXPECT_EQ(readExactly(s, 6), "tunnel");  // nothing of the tunnel was consumed
    EXPECT_EQ(seen, std::string("\x05\x02\x00\x02" "\x01\x05" "alice" "\x06" "s3cret"
                                "\x05\x01\x00\x03\x0b" "api.example" "\x01\xbb",
                                4 + 14 + 18));
}

TEST(OutboundProxy, Socks5RefusalsAreProxyErrors) {
    ScriptedProxy proxy([](Poco::Net::StreamSocket& c) {
        readExactly(c, 3);
        c.sendBytes("\x05\x00", 2);
        readExactly(c, 4 + 1 + 9 + 2);
        c.sendBytes("\x05\x05\x00\x01\0\0\0\0\0\0", 10);
    });
    Poco::Net::StreamSocket s = proxy.connect();
    expectProxyError([&] { socks5Connect(s, *parseProxyUrl("socks5://127.0.0.1:1"), "127.0.0.1", 8080); },
                     "SOCKS5 connect failed: connection refused");
}

TEST(OutboundProxy, HttpConnectLeavesTheTunnelUnread) {
    std::string head;
    ScriptedProxy proxy([&](Poco::Net::StreamSocket& c) {
        head = readHead(c);
        c.sendBytes("HTTP/1.1 200 Connection established\r\n\r\nhello", 44);
    });
    Poco::Net::StreamSocket s = proxy.connect();
    httpConnect(s, *parseProxyUrl("http://u:p@127.0.0.1:1"), "::1", 443);
    EXPECT_EQ(readExactly(s, 5), "hello");
    EXPECT_EQ(head, "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\nProxy-Authorization: Basic dTpw\r\n\r\n");
}

TEST(OutboundProxy, HttpConnectRefusal) {
    ScriptedProxy proxy([](Poco::Net::StreamSocket& c) {
        readHead(c);
        c.sendBytes("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", 46);
    });
    Poco::Net::StreamSocket s = proxy.connect();
    expectProxyError([&] { httpConnect(s, *parseProxyUrl("http://127.0.0.1:1"), "a.example", 443); },
                     "proxy answered CONNECT with 407 Proxy Authentication Required");
}
