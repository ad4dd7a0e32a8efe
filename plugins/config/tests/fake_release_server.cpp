#include "fake_release_server.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

namespace cpa::config::test {
namespace {

bool readExactly(Poco::Net::StreamSocket& s, unsigned char* buf, int n) {
    int got = 0;
    while (got < n) {
        const int r = s.receiveBytes(buf + got, n - got);
        if (r <= 0) return false;
        got += r;
    }
    return true;
}

void sendAll(Poco::Net::StreamSocket& s, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const int n = s.sendBytes(data.data() + sent, static_cast<int>(data.size() - sent));
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

}  // namespace

FakeReleaseServer::FakeReleaseServer(Mode mode)
    : mode_(mode), socket_(Poco::Net::SocketAddress("127.0.0.1", 0), 64) {
    port_ = socket_.address().port();
    if (mode_ != Mode::Silent) thread_ = std::thread([this] { run(); });
}

FakeReleaseServer::~FakeReleaseServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    socket_.close();
}

void FakeReleaseServer::setReply(Reply reply) {
    std::lock_guard lock(mutex_);
    reply_ = std::move(reply);
}

std::vector<std::string> FakeReleaseServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<std::string> FakeReleaseServer::socksTargets() const {
    std::lock_guard lock(mutex_);
    return socksTargets_;
}

std::vector<std::string> FakeReleaseServer::socksCredentials() const {
    std::lock_guard lock(mutex_);
    return socksCredentials_;
}

void FakeReleaseServer::run() {
    while (!stop_) {
        try {
            if (!socket_.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ)) continue;
            Poco::Net::StreamSocket s = socket_.acceptConnection();
            s.setReceiveTimeout(Poco::Timespan(5, 0));
            serve(s);
            s.close();
        } catch (const Poco::Exception&) {
            // A client that went away: keep serving the next one.
        }
    }
}

bool FakeReleaseServer::socksHandshake(Poco::Net::StreamSocket& s) {
    unsigned char head[2];
    if (!readExactly(s, head, 2) || head[0] != 5) return false;
    std::vector<unsigned char> methods(head[1]);
    if (!readExactly(s, methods.data(), head[1])) return false;
    bool wantsAuth = false;
    for (unsigned char m : methods) wantsAuth = wantsAuth || m == 2;
    const unsigned char choice[2] = {5, static_cast<unsigned char>(wantsAuth ? 2 : 0)};
    s.sendBytes(choice, 2);
    if (wantsAuth) {
        unsigned char ver[2];
        if (!readExactly(s, ver, 2)) return false;
        std::string user(ver[1], '\0');
        if (!readExactly(s, reinterpret_cast<unsigned char*>(user.data()), ver[1])) return false;
        unsigned char plen;
        if (!readExactly(s, &plen, 1)) return false;
        std::string pass(plen, '\0');
        if (!readExactly(s, reinterpret_cast<unsigned char*>(pass.data()), plen)) return false;
        {
            std::lock_guard lock(mutex_);
            socksCredentials_.push_back(user + ":" + pass);
        }
        const unsigned char ok[2] = {1, 0};
        s.sendBytes(ok, 2);
    }
    unsigned char req[4];
    if (!readExactly(s, req, 4) || req[1] != 1) return false;
    std::string host;
    if (req[3] == 3) {
        unsigned char len;
        if (!readExactly(s, &len, 1)) return false;
        host.assign(len, '\0');
        if (!readExactly(s, reinterpret_cast<unsigned char*>(host.data()), len)) return false;
    } else if (req[3] == 1) {
        unsigned char a[4];
        if (!readExactly(s, a, 4)) return false;
        host = std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." + std::to_string(a[3]);
    } else {
        return false;
    }
    unsigned char p[2];
    if (!readExactly(s, p, 2)) return false;
    {
        std::lock_guard lock(mutex_);
        socksTargets_.push_back(host + ":" + std::to_string(p[0] * 256 + p[1]));
    }
    const unsigned char reply[10] = {5, 0, 0, 1, 127, 0, 0, 1, 0, 0};
    s.sendBytes(reply, 10);
    return true;
}

void FakeReleaseServer::serve(Poco::Net::StreamSocket& s) {
    if (mode_ == Mode::Socks5 && !socksHandshake(s)) return;
    std::string head;
    char buf[1024];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
        const int n = s.receiveBytes(buf, sizeof buf);
        if (n <= 0) return;
        head.append(buf, static_cast<std::size_t>(n));
    }
    Reply reply;
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(head.substr(0, head.find("\r\n\r\n")));
        reply = reply_;
    }
    sendAll(s, "HTTP/1.1 " + std::to_string(reply.status) + " Fake\r\nContent-Type: application/json\r\n" +
                   "Content-Length: " + std::to_string(reply.body.size()) + "\r\nConnection: close\r\n\r\n" +
                   reply.body);
}

}  // namespace cpa::config::test
