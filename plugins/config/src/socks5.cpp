#include "socks5.hpp"

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SocketAddress.h>

#include <stdexcept>
#include <string_view>
#include <vector>

namespace cpa::config {
namespace {

void sendAll(Poco::Net::StreamSocket& s, const std::vector<unsigned char>& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const int n = s.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
        if (n <= 0) throw std::runtime_error("socks connect: proxy closed the connection");
        sent += static_cast<std::size_t>(n);
    }
}

std::vector<unsigned char> receiveExactly(Poco::Net::StreamSocket& s, std::size_t count) {
    std::vector<unsigned char> buf(count);
    std::size_t got = 0;
    while (got < count) {
        const int n = s.receiveBytes(buf.data() + got, static_cast<int>(count - got));
        if (n <= 0) throw std::runtime_error("socks connect: proxy closed the connection");
        got += static_cast<std::size_t>(n);
    }
    return buf;
}

std::string replyText(unsigned char code) {
    switch (code) {
    case 1: return "general SOCKS server failure";
    case 2: return "connection not allowed by ruleset";
    case 3: return "network unreachable";
    case 4: return "host unreachable";
    case 5: return "connection refused";
    case 6: return "TTL expired";
    case 7: return "command not supported";
    case 8: return "address type not supported";
    default: return "unknown code " + std::to_string(code);
    }
}

void appendAddress(std::vector<unsigned char>& req, const std::string& host) {
    Poco::Net::IPAddress ip;
    if (Poco::Net::IPAddress::tryParse(host, ip)) {
        const auto* raw = static_cast<const unsigned char*>(ip.addr());
        const bool v4 = ip.family() == Poco::Net::IPAddress::IPv4;
        req.push_back(v4 ? 0x01 : 0x04);
        req.insert(req.end(), raw, raw + ip.length());
        return;
    }
    if (host.size() > 255) throw std::runtime_error("socks connect: host name too long");
    req.push_back(0x03);
    req.push_back(static_cast<unsigned char>(host.size()));
    req.insert(req.end(), host.begin(), host.end());
}

}  // namespace

Poco::Net::StreamSocket socks5Connect(const ProxyEndpoint& proxy, const std::string& host, std::uint16_t port,
                                      Poco::Timespan timeout) {
    Poco::Net::StreamSocket s;
    s.connect(Poco::Net::SocketAddress(proxy.host, proxy.port), timeout);
    s.setReceiveTimeout(timeout);
    s.setSendTimeout(timeout);

    // Greeting: offer "no authentication", plus user/password when we have one.
    std::vector<unsigned char> hello{0x05, 0x01, 0x00};
    if (proxy.hasCredentials) hello = {0x05, 0x02, 0x00, 0x02};
    sendAll(s, hello);
    const auto choice = receiveExactly(s, 2);
    if (choice[0] != 0x05) throw std::runtime_error("socks connect: unexpected protocol version from proxy");
    if (choice[1] == 0x02 && proxy.hasCredentials) {
        if (proxy.user.size() > 255 || proxy.password.size() > 255) {
            throw std::runtime_error("socks connect: user name or password too long");
        }
        std::vector<unsigned char> auth{0x01, static_cast<unsigned char>(proxy.user.size())};
        auth.insert(auth.end(), proxy.user.begin(), proxy.user.end());
        auth.push_back(static_cast<unsigned char>(proxy.password.size()));
        auth.insert(auth.end(), proxy.password.begin(), proxy.password.end());
        sendAll(s, auth);
        const auto status = receiveExactly(s, 2);
        if (status[1] != 0x00) throw std::runtime_error("socks connect: username/password authentication failed");
    } else if (choice[1] != 0x00) {
        throw std::runtime_error("socks connect: no acceptable authentication methods");
    }

    std::vector<unsigned char> req{0x05, 0x01, 0x00};
    appendAddress(req, host);
    req.push_back(static_cast<unsigned char>(port >> 8));
    req.push_back(static_cast<unsigned char>(port & 0xff));
    sendAll(s, req);

    const auto head = receiveExactly(s, 4);
    if (head[0] != 0x05) throw std::runtime_error("socks connect: unexpected protocol version from proxy");
    if (head[1] != 0x00) throw std::runtime_error("socks connect: " + replyText(head[1]));
    std::size_t addrLen = 0;
    switch (head[3]) {
    case 0x01: addrLen = 4; break;
    case 0x04: addrLen = 16; break;
    case 0x03: addrLen = receiveExactly(s, 1)[0]; break;
    default: throw std::runtime_error("socks connect: unknown address type in reply");
    }
    receiveExactly(s, addrLen + 2);  // bound address and port: unused
    return s;
}

}  // namespace cpa::config
