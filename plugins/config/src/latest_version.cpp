#include "latest_version.hpp"

#include "proxy_url.hpp"
#include "text_util.hpp"

#include <cpa/sdk/body.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <istream>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace cpa::config {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxReleaseBody = 4 * 1024 * 1024;
constexpr std::size_t kMaxStatusBody = 1024;

ReleaseOutcome failure(int status, std::string code, std::string message) {
    return {status, sdk::Value::object({{"error", std::move(code)}, {"message", std::move(message)}})};
}

/// A transport problem, reported as 502 request_failed.
struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Poco::Net::Context::Ptr tlsContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                         Poco::Net::Context::VERIFY_RELAXED, 9, true);
    });
    return context;
}

std::optional<std::string> processEnv(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
}

bool isLoopbackHost(const std::string& host) {
    if (sdk::lowerAscii(host) == "localhost") return true;
    Poco::Net::IPAddress ip;
    return Poco::Net::IPAddress::tryParse(host, ip) && ip.isLoopback();
}

/// The proxy for `scheme://host` when proxy-url is empty, like Go's
/// ProxyFromEnvironment (loopback targets are never proxied).
std::optional<ProxyEndpoint> environmentProxy(const EnvLookup& env, const std::string& scheme,
                                              const std::string& host) {
    auto get = [&](const char* upper, const char* lower) -> std::string {
        if (auto v = env(upper); v && !v->empty()) return *v;
        if (auto v = env(lower); v && !v->empty()) return *v;
        return {};
    };
    std::string value = scheme == "https" ? get("HTTPS_PROXY", "https_proxy") : get("HTTP_PROXY", "http_proxy");
    if (value.empty() || isLoopbackHost(host)) return std::nullopt;
    if (sdk::noProxyExcludes(get("NO_PROXY", "no_proxy"), host)) return std::nullopt;
    if (value.find("://") == std::string::npos) value = "http://" + value;
    auto ep = sdk::parseProxyUrl(value);
    if (!ep) throw TransportError("proxyconnect: invalid proxy address in the environment");
    return ep;
}

std::string hostHeader(const std::string& host, std::uint16_t port, const std::string& scheme) {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    const bool defaultPort = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
    if (!defaultPort) h += ":" + std::to_string(port);
    return h;
}

/// Go-style: 10s, 250ms.
std::string durationText(std::chrono::milliseconds d) {
    if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
    return std::to_string(d.count()) + "ms";
}

class Deadline {
public:
    explicit Deadline(std::chrono::milliseconds total) : end_(Clock::now() + total) {}
    /// Time left; throws Poco::TimeoutException when none.
    Poco::Timespan remaining() const {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(end_ - Clock::now());
        if (left.count() <= 0) throw Poco::TimeoutException("Client.Timeout exceeded");
        return Poco::Timespan(left.count());
    }

private:
    Clock::time_point end_;
};

/// A socket to the proxy with the handshake done: a SOCKS5 CONNECT, or a
/// CONNECT tunnel through an http:// proxy (for https targets).
Poco::Net::StreamSocket tunnel(const ProxyEndpoint& proxy, const std::string& host, std::uint16_t port,
                               const Deadline& deadline) {
    Poco::Net::StreamSocket s;
    s.connect(Poco::Net::SocketAddress(proxy.host, proxy.port), deadline.remaining());
    s.setReceiveTimeout(deadline.remaining());
    s.setSendTimeout(deadline.remaining());
    try {
        if (sdk::isSocks5(proxy))
            sdk::socks5Connect(s, proxy, host, port);
        else
            sdk::httpConnect(s, proxy, host, port);
    } catch (const sdk::ProxyError& e) {
        throw TransportError(std::string("proxyconnect: ") + e.what());
    }
    return s;
}

/// The connection for the request, and whether the request line must carry
/// the absolute URI (plain http through an http:// proxy).
struct Connection {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    bool absoluteTarget = false;
};

Connection openConnection(const std::string& scheme, const std::string& host, std::uint16_t port,
                          const std::optional<ProxyEndpoint>& proxy, const Deadline& deadline) {
    const bool tls = scheme == "https";
    Connection c;
    auto overSocket = [&](Poco::Net::StreamSocket socket) {
        if (tls) {
            Poco::Net::SecureStreamSocket secure = Poco::Net::SecureStreamSocket::attach(socket, host, tlsContext());
            c.session = std::make_unique<Poco::Net::HTTPSClientSession>(secure);
        } else {
            c.session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
        }
    };
    if (!proxy) {
        if (tls) {
            c.session = std::make_unique<Poco::Net::HTTPSClientSession>(host, port, tlsContext());
        } else {
            c.session = std::make_unique<Poco::Net::HTTPClientSession>(host, port);
        }
    } else if (sdk::isSocks5(*proxy)) {
        overSocket(tunnel(*proxy, host, port, deadline));
    } else if (proxy->scheme == "https") {
        throw TransportError("proxyconnect: TLS connections to the proxy (https:// proxy-url) are not supported");
    } else if (tls) {
        overSocket(tunnel(*proxy, host, port, deadline));
    } else {
        c.session = std::make_unique<Poco::Net::HTTPClientSession>(proxy->host, proxy->port);
        c.absoluteTarget = true;
    }
    return c;
}

/// Reads up to `limit` bytes of the body, keeping to the deadline.
std::string readBody(Poco::Net::HTTPClientSession& session, std::istream& in, std::size_t limit,
                     const Deadline& deadline) {
    std::string body;
    char buf[4096];
    while (body.size() < limit) {
        session.socket().setReceiveTimeout(deadline.remaining());
        in.read(buf, static_cast<std::streamsize>(std::min(sizeof buf, limit - body.size())));
        const auto n = in.gcount();
        if (n <= 0) break;
        body.append(buf, static_cast<std::size_t>(n));
    }
    // The stream turns socket errors into badbit: report them, not a short body.
    if (in.bad()) {
        (void)deadline.remaining();
        throw TransportError("reading the response body failed");
    }
    return body;
}

const char* typeName(const sdk::Value& v) {
    switch (v.type()) {
    case sdk::Value::Type::Array: return "array";
    case sdk::Value::Type::Bool: return "bool";
    case sdk::Value::Type::String: return "string";
    default: return "number";
    }
}

ReleaseOutcome decodeRelease(const std::string& body) {
    if (sdk::trimAscii(body).empty()) return failure(502, "decode_failed", "EOF");
    sdk::Value doc;
    try {
        doc = sdk::parseJson(body, sdk::JsonMode::FirstValue);
    } catch (const std::exception& e) {
        return failure(502, "decode_failed", e.what());
    }
    std::string version;
    if (doc.isObject()) {
        std::string tag;
        std::string name;
        for (auto [member, out] : {std::pair{"tag_name", &tag}, std::pair{"name", &name}}) {
            const sdk::Value* v = sdk::boundMember(doc, member);
            if (v == nullptr) continue;
            if (!v->isString()) {
                return failure(502, "decode_failed",
                               std::string("cannot decode ") + typeName(*v) + " as the release's " + member);
            }
            *out = v->asString();
        }
        version = sdk::trimAscii(tag);
        if (version.empty()) version = sdk::trimAscii(name);
    } else if (!doc.isNull()) {
        return failure(502, "decode_failed", std::string("cannot decode ") + typeName(doc) + " as a release object");
    }
    if (version.empty()) return failure(502, "invalid_response", "missing release version");
    return {200, sdk::Value::object({{"latest-version", version}})};
}

}  // namespace

ReleaseOutcome fetchLatestVersion(const ReleaseQuery& query, sdk::Logger* logger) {
    const std::string url = query.url;
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        return failure(500, "request_create_failed", "parse \"" + url + "\": " + e.displayText());
    }
    const std::string scheme = sdk::lowerAscii(uri.getScheme());
    const std::string prefix = "Get \"" + url + "\": ";
    if (scheme != "http" && scheme != "https") {
        return failure(502, "request_failed", prefix + "unsupported protocol scheme \"" + uri.getScheme() + "\"");
    }
    const std::string host = uri.getHost();
    if (host.empty()) return failure(502, "request_failed", prefix + "no Host in request URL");
    const std::uint16_t port = uri.getPort();

    const Deadline deadline(query.timeout);
    try {
        std::optional<ProxyEndpoint> proxy;
        const auto setting = parseProxySetting(query.proxyUrl);
        if (!setting && logger) logger->warning("proxy-url is not a supported proxy; using the environment's proxy");
        if (setting && setting->mode == ProxyMode::Url) {
            proxy = setting->endpoint;
        } else if (!setting || setting->mode == ProxyMode::Environment) {
            proxy = environmentProxy(query.env ? query.env : EnvLookup(processEnv), scheme, host);
        }

        Connection connection = openConnection(scheme, host, port, proxy, deadline);
        auto& session = connection.session;
        session->setTimeout(deadline.remaining());
        session->setKeepAlive(false);

        std::string target = uri.getPathEtc();
        if (target.empty()) target = "/";
        if (connection.absoluteTarget) target = scheme + "://" + hostHeader(host, port, scheme) + target;
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Host", hostHeader(host, port, scheme));
        request.set("Accept", "application/vnd.github+json");
        request.set("User-Agent", "CLIProxyAPI");
        if (connection.absoluteTarget && proxy->hasCredentials) {
            request.set("Proxy-Authorization", sdk::proxyBasicAuth(*proxy));
        }
        session->sendRequest(request);

        Poco::Net::HTTPResponse response;
        session->socket().setReceiveTimeout(deadline.remaining());
        std::istream& in = session->receiveResponse(response);
        const int status = static_cast<int>(response.getStatus());
        if (status != 200) {
            const std::string head = readBody(*session, in, kMaxStatusBody, deadline);
            return failure(502, "unexpected_status", "status " + std::to_string(status) + ": " + sdk::trimAscii(head));
        }
        return decodeRelease(readBody(*session, in, kMaxReleaseBody, deadline));
    } catch (const Poco::TimeoutException&) {
        return failure(502, "request_failed",
                       prefix + "Client.Timeout exceeded (" + durationText(query.timeout) + ")");
    } catch (const Poco::Exception& e) {
        return failure(502, "request_failed", prefix + e.displayText());
    } catch (const std::exception& e) {
        return failure(502, "request_failed", prefix + e.what());
    }
}

}  // namespace cpa::config
