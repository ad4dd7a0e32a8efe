#include "login/http_fetch.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace cpa::oauth::login {

namespace {

Poco::Net::Context::Ptr clientContext() {
    // Built on first use, not at load time (architecture §7.5).
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED,
                                         9, true /* system CAs */);
    });
    return context;
}

void applyProxy(Poco::Net::HTTPClientSession& session, const std::string& proxyUrl) {
    if (proxyUrl.empty()) return;
    Poco::URI proxy(proxyUrl);
    if (proxy.getScheme() != "http" && proxy.getScheme() != "https") return;
    Poco::Net::HTTPClientSession::ProxyConfig config;
    config.host = proxy.getHost();
    config.port = proxy.getPort();
    const std::string& info = proxy.getUserInfo();
    if (const auto colon = info.find(':'); colon != std::string::npos) {
        config.username = info.substr(0, colon);
        config.password = info.substr(colon + 1);
    } else {
        config.username = info;
    }
    session.setProxyConfig(config);
}

}  // namespace

FetchResult fetch(const FetchRequest& request) {
    try {
        Poco::URI uri(request.url);
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https") {
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), clientContext());
        } else if (uri.getScheme() == "http") {
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        } else {
            throw std::runtime_error("unsupported URL scheme");
        }
        applyProxy(*session, request.proxyUrl);
        session->setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(request.timeout).count()));
        // (Built in one expression: GCC 12's -Wrestrict misfires on `target = "/"` at -O2.)
        const std::string pathEtc = uri.getPathEtc();
        const std::string target = pathEtc.empty() ? std::string(1, '/') : pathEtc;
        Poco::Net::HTTPRequest req(request.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        req.setKeepAlive(false);
        for (const auto& [name, value] : request.headers) req.set(name, value);
        if (!request.body.empty() || request.method == "POST") req.setContentLength(static_cast<std::streamsize>(request.body.size()));
        session->sendRequest(req) << request.body;
        Poco::Net::HTTPResponse res;
        std::istream& in = session->receiveResponse(res);
        FetchResult out;
        out.status = static_cast<int>(res.getStatus());
        Poco::StreamCopier::copyToString(in, out.body);
        return out;
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(e.displayText());
    }
}

}  // namespace cpa::oauth::login
