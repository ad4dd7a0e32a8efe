#include "upstream/dial.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <mutex>

namespace cpa::proxy::upstream {
namespace {

Poco::Net::Context::Ptr clientContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Params params;
        // STRICT: Poco skips the host-name check for "localhost" in RELAXED mode.
        params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
        params.loadDefaultCAs = true;  // the system CA store
        params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    });
    return context;
}

void sendAll(Poco::Net::StreamSocket& s, const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
        const int n = s.sendBytes(data.data() + off, static_cast<int>(data.size() - off), MSG_NOSIGNAL);
        if (n <= 0) throw DialError("proxy connection closed");
        off += static_cast<std::size_t>(n);
    }
}

void recvExact(Poco::Net::StreamSocket& s, unsigned char* buf, std::size_t n) {
    std::size_t off = 0;
    while (off < n) {
        const int got = s.receiveBytes(buf + off, static_cast<int>(n - off));
        if (got <= 0) throw DialError("proxy closed the connection during the handshake");
        off += static_cast<std::size_t>(got);
    }
}

std::string base64(const std::string& in) {
    static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned val = 0;
    int bits = -6;
    for (unsigned char c : in) {
        val = (val << 8) + c;
        bits += 8;
        while (bits >= 0) {
            out.push_back(table[(val >> bits) & 0x3F]);
            bits -= 6;
        }
    }
    if (bits > -6) out.push_back(table[((val << 8) >> (bits + 8)) & 0x3F]);
    while (out.size() % 4) out.push_back('=');
    return out;
}

void httpConnect(Poco::Net::StreamSocket& s, const Url& proxy, const Url& target) {
    const std::string authority =
        (target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host) + ":" +
        std::to_string(target.port);
    std::string req = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
    if (const std::string auth = proxyBasicAuth(proxy); !auth.empty()) req += "Proxy-Authorization: " + auth + "\r\n";
    req += "\r\n";
    sendAll(s, req);
    // Read the reply head byte by byte so nothing of the tunnel is consumed.
    std::string head;
    unsigned char c;
    while (head.size() < 16384 && head.find("\r\n\r\n") == std::string::npos) {
        recvExact(s, &c, 1);
        head.push_back(static_cast<char>(c));
    }
    const auto sp = head.find(' ');
    if (sp == std::string::npos || head.compare(sp + 1, 1, "2") != 0)
        throw DialError("proxy CONNECT refused: " + head.substr(0, head.find("\r\n")));
}

void socks5Connect(Poco::Net::StreamSocket& s, const Url& proxy, const Url& target) {
    const bool auth = !proxy.user.empty();
    std::string hello = auth ? std::string("\x05\x02\x00\x02", 4) : std::string("\x05\x01\x00", 3);
    sendAll(s, hello);
    unsigned char reply[2];
    recvExact(s, reply, 2);
    if (reply[0] != 5) throw DialError("not a SOCKS5 proxy");
    if (reply[1] == 2 && auth) {
        if (proxy.user.size() > 255 || proxy.password.size() > 255) throw DialError("SOCKS5 credentials too long");
        std::string msg(1, '\x01');
        msg += static_cast<char>(proxy.user.size());
        msg += proxy.user;
        msg += static_cast<char>(proxy.password.size());
        msg += proxy.password;
        sendAll(s, msg);
        recvExact(s, reply, 2);
        if (reply[1] != 0) throw DialError("SOCKS5 authentication failed");
    } else if (reply[1] != 0) {
        throw DialError("SOCKS5 proxy accepts none of our authentication methods");
    }
    if (target.host.size() > 255) throw DialError("host name too long for SOCKS5");
    std::string req("\x05\x01\x00\x03", 4);  // CONNECT by domain name: the proxy resolves
    req += static_cast<char>(target.host.size());
    req += target.host;
    req += static_cast<char>((target.port >> 8) & 0xFF);
    req += static_cast<char>(target.port & 0xFF);
    sendAll(s, req);
    unsigned char head[4];
    recvExact(s, head, 4);
    if (head[1] != 0) throw DialError("SOCKS5 connect failed with code " + std::to_string(head[1]));
    std::size_t addrLen = head[3] == 1 ? 4 : head[3] == 4 ? 16 : 0;
    if (head[3] == 3) {
        unsigned char len;
        recvExact(s, &len, 1);
        addrLen = len;
    }
    unsigned char rest[260];
    recvExact(s, rest, addrLen + 2);
}

}  // namespace

bool forwardsToProxy(const Url& target, const std::optional<Url>& proxy) {
    return proxy && (proxy->scheme == "http" || proxy->scheme == "https") && target.scheme == "http";
}

std::string proxyBasicAuth(const Url& proxy) {
    return proxy.user.empty() ? std::string() : "Basic " + base64(proxy.user + ":" + proxy.password);
}

Poco::Timespan remaining(Clock::time_point deadline) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
    return Poco::Timespan(std::max<long long>(us, 1000));
}

Poco::Net::StreamSocket dial(const Url& target, const std::optional<Url>& proxy, Clock::time_point deadline) {
    try {
        if (proxy && proxy->scheme == "https" && target.scheme == "https")
            throw DialError("TLS inside a TLS proxy tunnel is not supported; use an http:// or socks5:// proxy");
        const Url& first = proxy ? *proxy : target;
        Poco::Net::StreamSocket s;
        s.connect(Poco::Net::SocketAddress(first.host, static_cast<Poco::UInt16>(first.port)), remaining(deadline));
        s.setNoDelay(true);
        s.setReceiveTimeout(remaining(deadline));
        s.setSendTimeout(remaining(deadline));
        if (proxy && proxy->scheme == "https") s = Poco::Net::SecureStreamSocket::attach(s, proxy->host, clientContext());
        if (proxy && (proxy->scheme == "http" || proxy->scheme == "https") && !forwardsToProxy(target, proxy))
            httpConnect(s, *proxy, target);
        if (proxy && (proxy->scheme == "socks5" || proxy->scheme == "socks5h")) socks5Connect(s, *proxy, target);
        if (target.scheme == "https") s = Poco::Net::SecureStreamSocket::attach(s, target.host, clientContext());
        return s;
    } catch (const DialError&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw DialError(e.displayText());
    } catch (const std::exception& e) {
        throw DialError(e.what());
    }
}

}  // namespace cpa::proxy::upstream
