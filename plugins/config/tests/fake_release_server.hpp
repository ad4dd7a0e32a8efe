#pragma once
// A loopback stand-in for the release feed (and for a proxy in front of it):
// answers every request with a canned reply and records what it received.
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cpa::config::test {

class FakeReleaseServer {
public:
    enum class Mode {
        Http,    ///< plain HTTP server (also serves absolute-URI proxy requests)
        Socks5,  ///< SOCKS5 proxy (no auth, or user/password) that then speaks HTTP itself
        Silent   ///< listens but never answers (timeouts)
    };
    struct Reply {
        int status = 200;
        std::string body = R"({"tag_name":"v1.2.3","name":"Release 1.2.3"})";
    };

    explicit FakeReleaseServer(Mode mode = Mode::Http);
    ~FakeReleaseServer();

    std::uint16_t port() const { return port_; }
    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
    void setReply(Reply reply);

    /// Request heads received so far ("GET /path HTTP/1.1\r\nHost: ...").
    std::vector<std::string> requests() const;
    /// SOCKS5 targets requested so far ("host:port") and credentials ("user:pass").
    std::vector<std::string> socksTargets() const;
    std::vector<std::string> socksCredentials() const;

    FakeReleaseServer(const FakeReleaseServer&) = delete;
    FakeReleaseServer& operator=(const FakeReleaseServer&) = delete;

private:
    void run();
    void serve(Poco::Net::StreamSocket& s);
    bool socksHandshake(Poco::Net::StreamSocket& s);

    Mode mode_;
    Poco::Net::ServerSocket socket_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    Reply reply_;
    std::vector<std::string> requests_;
    std::vector<std::string> socksTargets_;
    std::vector<std::string> socksCredentials_;
    std::thread thread_;
};

}  // namespace cpa::config::test
