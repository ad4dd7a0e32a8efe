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

// The target name is resolved by the proxy.
Poco::Net::StreamSocket socksConnect(const ProxySpec& p, const std::string& host, unsigned short port,
                                     Poco::Timespan timeout) {
    Poco::Net::StreamSocket s;
    s.connect(Poco::Net::SocketAddress(p.host, p.port), timeout);
    s.setReceiveTimeout(timeout);
    s.setSendTimeout(timeout);
    try {
        sdk::socks5Connect(s, p, host, port);
    } catch (const sdk::ProxyError& e) {
        throw TransportError(e.what());
    }
    return s;
}

}  // namespace

std::unique_ptr<Poco::Net::HTTPClientSession> openOutboundSession(const Poco::URI& uri,
                                                                 const std::optional<ProxySpec>& proxy,
                                                                 Poco::Timespan timeout) {
    const bool https = uri.getScheme() == "https";
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (proxy && sdk::isSocks5(*proxy)) {
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
