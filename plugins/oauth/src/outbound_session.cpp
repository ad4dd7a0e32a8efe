#include "outbound_session.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <mutex>

namespace cpa::oauth {

namespace {

Poco::Net::Context::Ptr tlsContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr ctx;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                     Poco::Net::Context::VERIFY_RELAXED, 9, true /* system CAs */);
    });
    return ctx;
}

void sendAll(Poco::Net::StreamSocket& s, const std::string& data) {
    int off = 0;
    while (off < static_cast<int>(data.size())) off += s.sendBytes(data.data() + off, static_cast<int>(data.size()) - off);
}

std::string recvExact(Poco::Net::StreamSocket& s, std::size_t n) {
    std::string out(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        const int r = s.receiveBytes(out.data() + got, static_cast<int>(n - got));
        if (r <= 0) throw TransportError("socks5: connection closed");
        got += static_cast<std::size_t>(r);
    }
    return out;
}

// RFC 1928/1929 CONNECT through a SOCKS5 proxy; the target name is resolved
// by the proxy.
Poco::Net::StreamSocket socksConnect(const ProxySpec& p, const std::string& host, unsigned short port,
                                     Poco::Timespan timeout) {
    Poco::Net::StreamSocket s;
    s.connect(Poco::Net::SocketAddress(p.host, p.port), timeout);
    s.setReceiveTimeout(timeout);
    s.setSendTimeout(timeout);
    const bool auth = !p.user.empty();
    sendAll(s, auth ? std::string("\x05\x01\x02", 3) : std::string("\x05\x01\x00", 3));
    const std::string choice = recvExact(s, 2);
    if (choice[0] != 5 || (choice[1] != (auth ? 2 : 0))) throw TransportError("socks5: method refused");
    if (auth) {
        if (p.user.size() > 255 || p.password.size() > 255) throw TransportError("socks5: credentials too long");
        std::string m("\x01", 1);
        m += static_cast<char>(p.user.size());
        m += p.user;
        m += static_cast<char>(p.password.size());
        m += p.password;
        sendAll(s, m);
        if (recvExact(s, 2)[1] != 0) throw TransportError("socks5: authentication failed");
    }
    if (host.size() > 255) throw TransportError("socks5: host too long");
    std::string req("\x05\x01\x00\x03", 4);
    req += static_cast<char>(host.size());
    req += host;
    req += static_cast<char>(port >> 8);
    req += static_cast<char>(port & 0xFF);
    sendAll(s, req);
    const std::string head = recvExact(s, 4);
    if (head[1] != 0) throw TransportError("socks5: connect refused");
    std::size_t skip = head[3] == 1 ? 4 : head[3] == 4 ? 16 : static_cast<unsigned char>(recvExact(s, 1)[0]);
    recvExact(s, skip + 2);
    return s;
}

}  // namespace

std::unique_ptr<Poco::Net::HTTPClientSession> openOutboundSession(const Poco::URI& uri,
                                                                 const std::optional<ProxySpec>& proxy,
                                                                 Poco::Timespan timeout) {
    const bool https = uri.getScheme() == "https";
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (proxy && (proxy->scheme == "socks5" || proxy->scheme == "socks5h")) {
        Poco::Net::StreamSocket s = socksConnect(*proxy, uri.getHost(), uri.getPort(), timeout);
        if (https) {
            Poco::Net::SecureStreamSocket ss = Poco::Net::SecureStreamSocket::attach(s, uri.getHost(), tlsContext());
            session = std::make_unique<Poco::Net::HTTPSClientSession>(ss);
        } else {
            session = std::make_unique<Poco::Net::HTTPClientSession>(s);
        }
    } else {
        if (https)
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tlsContext());
        else
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        if (proxy) {
            session->setProxy(proxy->host, proxy->port);
            if (!proxy->user.empty()) session->setProxyCredentials(proxy->user, proxy->password);
        }
    }
    session->setTimeout(timeout);
    session->setKeepAlive(false);
    return session;
}

}  // namespace cpa::oauth
