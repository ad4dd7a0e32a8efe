#pragma once
// Tiny loopback proxies for the transport tests: a plain TCP relay (counts
// connections), an HTTP CONNECT proxy and a SOCKS5 proxy (optional user/pass).
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cpa::proxy::testing {

class LoopbackProxy {
public:
    enum class Mode { Relay, Connect, Socks5 };

    LoopbackProxy(Mode mode, int relayPort = 0, std::string user = {}, std::string pass = {})
        : mode_(mode), relayPort_(relayPort), user_(std::move(user)), pass_(std::move(pass)) {
        listener_.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
        listener_.listen(64);
        accept_ = std::thread([this] { acceptLoop(); });
    }
    ~LoopbackProxy() {
        stop_ = true;
        accept_.join();
        std::lock_guard lock(mutex_);
        for (auto& t : threads_) t.join();
    }
    int port() const { return listener_.address().port(); }
    int connections() const { return connections_; }
    /// Closes every open relayed connection (as an upstream closing idle keep-alives does).
    void dropAll() { ++generation_; }
    std::vector<std::string> targets() const {
        std::lock_guard lock(mutex_);
        return targets_;
    }
    std::vector<std::string> authHeaders() const {
        std::lock_guard lock(mutex_);
        return auth_;
    }

private:
    static bool readExact(Poco::Net::StreamSocket& s, unsigned char* p, int n) {
        int off = 0;
        while (off < n) {
            const int got = s.receiveBytes(p + off, n - off);
            if (got <= 0) return false;
            off += got;
        }
        return true;
    }
    static void sendAll(Poco::Net::StreamSocket& s, const std::string& d) {
        s.sendBytes(d.data(), static_cast<int>(d.size()));
    }

    bool handshake(Poco::Net::StreamSocket& c, std::string& host, int& port) {
        if (mode_ == Mode::Relay) {
            host = "127.0.0.1";
            port = relayPort_;
            return true;
        }
        if (mode_ == Mode::Connect) {
            std::string head;
            unsigned char ch;
            while (head.find("\r\n\r\n") == std::string::npos && readExact(c, &ch, 1)) head.push_back(static_cast<char>(ch));
            if (head.rfind("CONNECT ", 0) != 0) return false;
            const std::string authority = head.substr(8, head.find(' ', 8) - 8);
            {
                std::lock_guard lock(mutex_);
                targets_.push_back(authority);
                const auto a = head.find("Proxy-Authorization: ");
                auth_.push_back(a == std::string::npos ? "" : head.substr(a + 21, head.find("\r\n", a) - a - 21));
            }
            host = authority.substr(0, authority.rfind(':'));
            port = std::stoi(authority.substr(authority.rfind(':') + 1));
            sendAll(c, "HTTP/1.1 200 Connection established\r\n\r\n");
            return true;
        }
        unsigned char hdr[2];
        if (!readExact(c, hdr, 2)) return false;
        std::vector<unsigned char> methods(hdr[1]);
        if (!readExact(c, methods.data(), hdr[1])) return false;
        if (!user_.empty()) {
            sendAll(c, std::string("\x05\x02", 2));
            unsigned char v[2];
            if (!readExact(c, v, 2)) return false;
            std::string u(v[1], '\0');
            readExact(c, reinterpret_cast<unsigned char*>(u.data()), v[1]);
            unsigned char pl;
            readExact(c, &pl, 1);
            std::string p(pl, '\0');
            readExact(c, reinterpret_cast<unsigned char*>(p.data()), pl);
            const bool ok = u == user_ && p == pass_;
            sendAll(c, std::string(ok ? "\x01\x00" : "\x01\x01", 2));
            if (!ok) return false;
        } else {
            sendAll(c, std::string("\x05\x00", 2));
        }
        unsigned char req[5];
        if (!readExact(c, req, 5) || req[3] != 3) return false;
        std::string name(req[4], '\0');
        unsigned char portBytes[2];
        readExact(c, reinterpret_cast<unsigned char*>(name.data()), req[4]);
        readExact(c, portBytes, 2);
        host = name;
        port = portBytes[0] * 256 + portBytes[1];
        {
            std::lock_guard lock(mutex_);
            targets_.push_back(host + ":" + std::to_string(port));
        }
        sendAll(c, std::string("\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x00", 10));
        return true;
    }

    void serve(Poco::Net::StreamSocket c) {
        std::string host;
        int port = 0;
        try {
            if (!handshake(c, host, port)) return;
            Poco::Net::StreamSocket u;
            u.connect(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)));
            char buf[16384];
            const int generation = generation_;
            while (!stop_ && generation == generation_) {
                if (c.poll(Poco::Timespan(0, 10000), Poco::Net::Socket::SELECT_READ)) {
                    const int n = c.receiveBytes(buf, sizeof buf);
                    if (n <= 0) break;
                    u.sendBytes(buf, n);
                }
                if (u.poll(Poco::Timespan(0, 0), Poco::Net::Socket::SELECT_READ)) {
                    const int n = u.receiveBytes(buf, sizeof buf);
                    if (n <= 0) break;
                    c.sendBytes(buf, n);
                }
            }
        } catch (const Poco::Exception&) {
        }
    }

    void acceptLoop() {
        while (!stop_) {
            if (!listener_.poll(Poco::Timespan(0, 10000), Poco::Net::Socket::SELECT_READ)) continue;
            Poco::Net::StreamSocket c = listener_.acceptConnection();
            ++connections_;
            std::lock_guard lock(mutex_);
            threads_.emplace_back([this, c] { serve(c); });
        }
    }

    Mode mode_;
    int relayPort_;
    std::string user_, pass_;
    Poco::Net::ServerSocket listener_;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    std::atomic<int> generation_{0};
    std::thread accept_;
    mutable std::mutex mutex_;
    std::list<std::thread> threads_;
    std::vector<std::string> targets_, auth_;
};

}  // namespace cpa::proxy::testing
