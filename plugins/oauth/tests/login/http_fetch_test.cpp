// login::fetch (src/login/http_fetch.*): the login flows' outbound calls honour
// the global proxy-url, SOCKS5 included (it used to be ignored: a login went
// direct although the operator had configured a SOCKS proxy).
#include "login/http_fetch.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <poll.h>
#include <string>
#include <thread>
#include <vector>

namespace cpa::oauth::login {
namespace {

/// Loopback token endpoint: answers 200 "host=<Host header> path=<uri>".
class EchoServer {
public:
    EchoServer() : server_(new Factory, Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)),
                           new Poco::Net::HTTPServerParams) {
        server_.start();
    }
    ~EchoServer() { server_.stopAll(true); }
    unsigned short port() const { return server_.port(); }

private:
    struct Handler : Poco::Net::HTTPRequestHandler {
        void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
            const std::string body = "host=" + req.getHost() + " path=" + req.getURI();
            res.setContentLength(static_cast<std::streamsize>(body.size()));
            res.send() << body;
        }
    };
    struct Factory : Poco::Net::HTTPRequestHandlerFactory {
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler;
        }
    };
    Poco::Net::HTTPServer server_;
};

/// One-connection SOCKS5 proxy (no auth, CONNECT by domain name) that relays
/// to 127.0.0.1:<requested port> and records the requested "host:port".
class FakeSocks5 {
public:
    FakeSocks5() : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeSocks5() {
        stop_ = true;
        thread_.join();
    }
    unsigned short port() const { return listener_.address().port(); }
    std::vector<std::string> targets() const {
        std::lock_guard lock(mutex_);
        return targets_;
    }

private:
    static std::string readExact(Poco::Net::StreamSocket& s, std::size_t n) {
        std::string out(n, '\0');
        for (std::size_t got = 0; got < n;) {
            const int r = s.receiveBytes(out.data() + got, static_cast<int>(n - got));
            if (r <= 0) throw std::runtime_error("closed");
            got += static_cast<std::size_t>(r);
        }
        return out;
    }
    void serve() {
        try {
            if (!listener_.poll(Poco::Timespan(10, 0), Poco::Net::Socket::SELECT_READ)) return;
            Poco::Net::StreamSocket c = listener_.acceptConnection();
            c.setReceiveTimeout(Poco::Timespan(10, 0));
            const std::string hello = readExact(c, 2);
            readExact(c, static_cast<unsigned char>(hello[1]));
            c.sendBytes("\x05\x00", 2);
            const std::string head = readExact(c, 5);  // VER CMD RSV ATYP=3 LEN
            const std::string host = readExact(c, static_cast<unsigned char>(head[4]));
            const std::string port = readExact(c, 2);
            const unsigned short p = static_cast<unsigned short>((static_cast<unsigned char>(port[0]) << 8) |
                                                                 static_cast<unsigned char>(port[1]));
            {
                std::lock_guard lock(mutex_);
                targets_.push_back(host + ":" + std::to_string(p));
            }
            Poco::Net::StreamSocket up(Poco::Net::SocketAddress("127.0.0.1", p));
            c.sendBytes("\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00", 10);
            relay(c, up);
        } catch (const std::exception&) {
            // The test's assertions report what went wrong.
        }
    }
    void relay(Poco::Net::StreamSocket& a, Poco::Net::StreamSocket& b) {
        char buf[4096];
        while (!stop_) {
            pollfd fds[2] = {{a.impl()->sockfd(), POLLIN, 0}, {b.impl()->sockfd(), POLLIN, 0}};
            if (::poll(fds, 2, 100) <= 0) continue;
            for (int i = 0; i < 2; ++i) {
                if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                Poco::Net::StreamSocket& from = i == 0 ? a : b;
                Poco::Net::StreamSocket& to = i == 0 ? b : a;
                const int n = from.receiveBytes(buf, sizeof buf);
                if (n <= 0) return;
                to.sendBytes(buf, n);
            }
        }
    }
    Poco::Net::ServerSocket listener_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<std::string> targets_;
};

FetchRequest tokenRequest(unsigned short port, std::string proxyUrl) {
    FetchRequest r;
    r.method = "POST";
    r.url = "http://127.0.0.1:" + std::to_string(port) + "/token?x=1";
    r.body = "grant_type=authorization_code";
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    r.timeout = std::chrono::milliseconds(10000);
    r.proxyUrl = std::move(proxyUrl);
    return r;
}

TEST(LoginFetch, GoesThroughASocks5ProxyUrl) {
    EchoServer target;
    FakeSocks5 socks;
    const FetchResult res =
        fetch(tokenRequest(target.port(), "socks5://127.0.0.1:" + std::to_string(socks.port())));
    EXPECT_EQ(res.status, 200);
    const std::string hostPort = "127.0.0.1:" + std::to_string(target.port());
    EXPECT_EQ(res.body, "host=" + hostPort + " path=/token?x=1");
    EXPECT_EQ(socks.targets(), std::vector<std::string>{hostPort});
}

TEST(LoginFetch, DirectWhenProxyUrlIsEmptyOrNone) {
    EchoServer target;
    for (const char* proxyUrl : {"", "none", "direct"}) {
        const FetchResult res = fetch(tokenRequest(target.port(), proxyUrl));
        EXPECT_EQ(res.status, 200) << proxyUrl;
        EXPECT_EQ(res.body, "host=127.0.0.1:" + std::to_string(target.port()) + " path=/token?x=1") << proxyUrl;
    }
}

TEST(LoginFetch, AnUnreachableSocksProxyIsAnErrorNotADirectCall) {
    EchoServer target;
    Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
    const unsigned short deadPort = closed.address().port();
    closed.close();
    EXPECT_THROW(fetch(tokenRequest(target.port(), "socks5://127.0.0.1:" + std::to_string(deadPort))),
                 std::runtime_error);
}

}  // namespace
}  // namespace cpa::oauth::login
