#include "login/http_fetch.hpp"

#include "outbound_session.hpp"
#include "proxy_choice.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <memory>
#include <optional>
#include <stdexcept>

namespace cpa::oauth::login {

FetchResult fetch(const FetchRequest& request) {
    try {
        Poco::URI uri(request.url);
        if (uri.getScheme() != "https" && uri.getScheme() != "http") throw std::runtime_error("unsupported URL scheme");
        // The global proxy-url as /api-call reads it: http(s) or socks5(h);
        // "direct"/"none", empty or an unusable value → no proxy.
        std::optional<ProxySpec> proxy = parseProxyCandidate(request.proxyUrl);
        if (proxy && proxy->scheme.empty()) proxy.reset();
        const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(request.timeout).count());
        auto session = openOutboundSession(uri, proxy, timeout);
        // (Built in one expression: GCC 12's -Wrestrict misfires on `target = "/"` at -O2.)
        const std::string pathEtc = uri.getPathEtc();
        const std::string target = pathEtc.empty() ? std::string(1, '/') : pathEtc;
        Poco::Net::HTTPRequest req(request.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        req.setHost(uri.getHost(), uri.getPort());  // a session over a SOCKS tunnel does not know the host
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
