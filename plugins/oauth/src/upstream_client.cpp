#include "upstream_client.hpp"

#include <cpa/sdk/text.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <map>
#include <memory>
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

std::unique_ptr<Poco::Net::HTTPClientSession> openSession(const Poco::URI& uri, const std::optional<ProxySpec>& proxy,
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

// The request target as written in the URL (Poco's URI would re-encode
// characters such as '$' that the caller sent literally); only bytes that
// cannot appear on a request line are percent-encoded.
std::string rawTarget(const std::string& url) {
    const auto scheme = url.find("://");
    std::string rest = scheme == std::string::npos ? std::string() : url.substr(scheme + 3);
    const auto start = rest.find_first_of("/?#");
    rest = start == std::string::npos ? std::string() : rest.substr(start);
    if (const auto hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
    if (rest.empty() || rest[0] == '?') rest.insert(0, "/");
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : rest) {
        if (c <= 0x20 || c >= 0x7F) {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

std::string canonicalHeaderName(std::string_view name) {
    std::string out(name);
    bool upper = true;
    for (char& c : out) {
        if (c == ' ') return std::string(name);  // Go leaves names with spaces alone
        c = upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                  : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        upper = c == '-';
    }
    return out;
}

InboundResponse performRequest(const OutboundRequest& request, const std::optional<ProxySpec>& proxy,
                               std::chrono::seconds timeout, std::size_t maxBody) {
    const Poco::Timespan span(static_cast<long>(timeout.count()), 0);
    OutboundRequest current = request;
    for (int hop = 0;; ++hop) {
        Poco::URI uri;
        try {
            uri = Poco::URI(current.url);
        } catch (const Poco::Exception& e) {
            throw TransportError(e.displayText());
        }
        if (uri.getScheme() != "http" && uri.getScheme() != "https")
            throw TransportError("unsupported protocol scheme \"" + uri.getScheme() + "\"");
        InboundResponse out;
        std::string location;
        try {
            auto session = openSession(uri, proxy, span);
            const std::string target = rawTarget(current.url);
            Poco::Net::HTTPRequest req(current.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
            req.setHost(uri.getHost(), uri.getPort());
            if (!current.hostOverride.empty()) req.setHost(current.hostOverride);
            for (const auto& [k, v] : current.headers) req.set(k, v);
            if (!current.body.empty() || current.method == "POST" || current.method == "PUT" ||
                current.method == "PATCH")
                req.setContentLength(static_cast<std::streamsize>(current.body.size()));
            std::ostream& os = session->sendRequest(req);
            os << current.body;
            Poco::Net::HTTPResponse resp;
            std::istream& is = session->receiveResponse(resp);
            out.status = static_cast<int>(resp.getStatus());
            std::map<std::string, std::vector<std::string>> grouped;
            for (const auto& [k, v] : resp) {
                const std::string name = canonicalHeaderName(k);
                if (name == "Transfer-Encoding") continue;  // Go moves it out of the header map
                grouped[name].push_back(v);
            }
            out.headers.assign(grouped.begin(), grouped.end());
            location = resp.get("Location", "");
            try {
                char buf[16384];
                while (is.read(buf, sizeof buf) || is.gcount() > 0) {
                    out.body.append(buf, static_cast<std::size_t>(is.gcount()));
                    if (out.body.size() > maxBody) throw ReadError("response body too large");
                }
                if (is.bad()) throw ReadError("read error");
            } catch (const Poco::Exception& e) {
                throw ReadError(e.displayText());
            }
        } catch (const ReadError&) {
            throw;
        } catch (const Poco::Exception& e) {
            throw TransportError(e.displayText());
        } catch (const std::exception& e) {
            throw TransportError(e.what());
        }
        if (!isRedirect(out.status) || location.empty()) return out;
        if (hop >= 9) throw TransportError("stopped after 10 redirects");
        Poco::URI next(uri);
        try {
            next.resolve(location);
        } catch (const Poco::Exception&) {
            return out;
        }
        if (out.status == 301 || out.status == 302 || out.status == 303) {
            if (current.method != "GET" && current.method != "HEAD") current.method = "GET";
            current.body.clear();
        }
        if (next.getHost() != uri.getHost()) {
            std::erase_if(current.headers, [](const auto& h) {
                return sdk::iequals(h.first, "Authorization") || sdk::iequals(h.first, "Www-Authenticate") ||
                       sdk::iequals(h.first, "Cookie") || sdk::iequals(h.first, "Cookie2");
            });
        }
        current.hostOverride.clear();
        current.url = next.toString();
    }
}

}  // namespace cpa::oauth
