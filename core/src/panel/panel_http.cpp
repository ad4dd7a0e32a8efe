#include "panel/panel_http.hpp"

#include <cpa/sdk/outbound_proxy.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <istream>
#include <memory>
#include <mutex>

namespace cpa::core::panel {
namespace {

constexpr int kMaxRedirects = 5;

Poco::Net::Context::Ptr tlsContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        // The system's CA store; the peer certificate is verified.
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                         Poco::Net::Context::VERIFY_RELAXED, 9, true);
    });
    return context;
}

std::unique_ptr<Poco::Net::HTTPClientSession> sessionFor(const Poco::URI& uri, const HttpGetOptions& o) {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
        session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tlsContext());
    } else if (uri.getScheme() == "http") {
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    } else {
        throw HttpGetError("unsupported URL scheme '" + uri.getScheme() + "'");
    }
    if (!o.proxyUrl.empty()) {
        const auto proxy = sdk::parseProxyUrl(o.proxyUrl);
        if (!proxy || proxy->scheme != "http") {
            const auto sep = o.proxyUrl.find("://");
            const std::string scheme = sep == std::string::npos ? std::string() : o.proxyUrl.substr(0, sep);
            throw HttpGetError("proxy-url scheme '" + scheme + "' is not supported for the panel download");
        }
        Poco::Net::HTTPClientSession::ProxyConfig pc;
        pc.host = proxy->host;
        pc.port = proxy->port;
        pc.username = proxy->user;
        pc.password = proxy->password;
        session->setProxyConfig(pc);
    }
    session->setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(o.timeout).count()));
    return session;
}

// `overflowIsError` false: an error page is only quoted, its first bytes suffice.
std::string readCapped(std::istream& in, std::size_t maxBytes, bool overflowIsError) {
    std::string body;
    char buf[16384];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        body.append(buf, static_cast<std::size_t>(in.gcount()));
        if (body.size() <= maxBytes) continue;
        if (!overflowIsError) {
            body.resize(maxBytes);
            break;
        }
        throw HttpGetError("download exceeds the maximum of " + std::to_string(maxBytes) + " bytes");
    }
    return body;
}

}  // namespace

HttpGetResult httpGet(const std::string& url, const HttpGetOptions& options) {
    std::string current = url;
    for (int hop = 0; hop <= kMaxRedirects; ++hop) {
        try {
            Poco::URI uri(current);
            auto session = sessionFor(uri, options);
            std::string target = uri.getPathAndQuery();
            if (target.empty()) target = "/";
            Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
            req.setHost(uri.getHost(), uri.getPort());
            for (const auto& [name, value] : options.headers) req.set(name, value);
            session->sendRequest(req);
            Poco::Net::HTTPResponse res;
            std::istream& in = session->receiveResponse(res);
            const int status = static_cast<int>(res.getStatus());
            if (status >= 300 && status < 400 && res.has("Location")) {
                current = Poco::URI(uri, res.get("Location")).toString();
                continue;
            }
            const bool ok = status == 200;
            return {status, readCapped(in, ok ? options.maxBytes : 1024, ok)};
        } catch (const HttpGetError&) {
            throw;
        } catch (const Poco::Exception& e) {
            throw HttpGetError(e.displayText());
        } catch (const std::exception& e) {
            throw HttpGetError(e.what());
        }
    }
    throw HttpGetError("too many redirects from " + url);
}

}  // namespace cpa::core::panel
