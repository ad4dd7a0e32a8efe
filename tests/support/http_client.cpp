#include "http_client.hpp"

#include <cpa/sdk/text.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

namespace cpa::test {
namespace {

using sdk::iequals;

Poco::Timespan toTimespan(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

}  // namespace

std::optional<std::string> HttpResponse::header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
        if (iequals(k, name)) return v;
    }
    return std::nullopt;
}

std::size_t HttpResponse::headerCount(const std::string& name) const {
    std::size_t n = 0;
    for (const auto& h : headers) n += iequals(h.first, name) ? 1 : 0;
    return n;
}

HttpClient::HttpClient(std::string host, std::uint16_t port, HttpClientOptions options)
    : host_(std::move(host)), port_(port), options_(std::move(options)) {}

HttpClient::~HttpClient() = default;

void HttpClient::connect() {
    if (options_.localAddress.empty()) {
        session_ = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
    } else {
        // Poco 1.11's session cannot bind its socket: bind and connect one here
        // and hand it over.
        const Poco::Net::SocketAddress server(host_, port_);
        Poco::Net::StreamSocket socket(server.family());
        socket.impl()->bind(Poco::Net::SocketAddress(options_.localAddress, 0), false);
        socket.connect(server, toTimespan(options_.timeout));
        // A connected session refuses setHost(): the Host header is set per
        // request instead, and reconnection is ours (see request()).
        session_ = std::make_unique<Poco::Net::HTTPClientSession>(socket);
    }
    session_->setTimeout(toTimespan(options_.timeout));
    session_->setKeepAlive(options_.keepAlive);
}

HttpResponse HttpClient::request(const std::string& method, const std::string& path, const HeaderList& headers,
                                 const std::string& body) {
    if (!session_ || !options_.keepAlive || !reusable_) connect();

    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setHost(host_, port_);
    req.setKeepAlive(options_.keepAlive);
    for (const auto& [k, v] : headers) req.add(k, v);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    std::ostream& out = session_->sendRequest(req);
    out << body;

    Poco::Net::HTTPResponse res;
    std::istream& in = session_->receiveResponse(res);
    HttpResponse result;
    result.status = static_cast<int>(res.getStatus());
    result.reason = res.getReason();
    for (const auto& [k, v] : res) result.headers.emplace_back(k, v);
    Poco::StreamCopier::copyToString(in, result.body);
    reusable_ = options_.keepAlive && res.getKeepAlive();
    if (!reusable_) session_->reset();
    return result;
}

std::uint16_t HttpClient::localPort() const {
    if (!session_ || !session_->connected()) return 0;
    try {
        return session_->socket().address().port();
    } catch (const Poco::Exception&) {
        return 0;
    }
}

void HttpClient::reset() {
    session_.reset();
    reusable_ = false;
}

HttpResponse httpRequest(std::uint16_t port, const std::string& method, const std::string& path,
                         const HeaderList& headers, const std::string& body) {
    HttpClient client("127.0.0.1", port, HttpClientOptions{false, "", std::chrono::milliseconds(10000)});
    return client.request(method, path, headers, body);
}

}  // namespace cpa::test
