#include "upstream_client.hpp"

#include "outbound_session.hpp"

#include <cpa/sdk/text.hpp>
#include <cpa/sdk/url_encoding.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketImpl.h>
#include <Poco/URI.h>

#include <sys/socket.h>

#include <map>
#include <memory>

namespace cpa::oauth {

namespace {

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
    return sdk::escapeRequestTarget(rest);
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

void CancelToken::cancel() noexcept {
    std::lock_guard lock(m_);
    cancelled_ = true;
    // The raw descriptor: shutdown(2) wakes a blocked recv/send and is safe
    // beside it, unlike an SSL-level shutdown from this thread.
    if (session_) {
        try {
            ::shutdown(session_->socket().impl()->sockfd(), SHUT_RDWR);
        } catch (...) {
        }
    }
    cv_.notify_all();
}

bool CancelToken::cancelled() const noexcept {
    std::lock_guard lock(m_);
    return cancelled_;
}

bool CancelToken::sleepFor(std::chrono::milliseconds d) {
    std::unique_lock lock(m_);
    return !cv_.wait_for(lock, d, [this] { return cancelled_; });
}

/// Publishes a session to its CancelToken for its lifetime (destroyed before the session).
class CancelRegistration {
public:
    CancelRegistration(CancelToken* token, Poco::Net::HTTPClientSession* session) : token_(token) {
        if (!token_) return;
        std::lock_guard lock(token_->m_);
        if (token_->cancelled_) throw TransportError("cancelled");
        token_->session_ = session;
    }
    ~CancelRegistration() {
        if (!token_) return;
        std::lock_guard lock(token_->m_);
        token_->session_ = nullptr;
    }
    CancelRegistration(const CancelRegistration&) = delete;
    CancelRegistration& operator=(const CancelRegistration&) = delete;

private:
    CancelToken* token_;
};

namespace {

/// The request's URL; only http and https are sent.
Poco::URI outboundUri(const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw TransportError(e.displayText());
    }
    if (uri.getScheme() != "http" && uri.getScheme() != "https")
        throw TransportError("unsupported protocol scheme \"" + uri.getScheme() + "\"");
    return uri;
}

void readBody(std::istream& is, std::string& body, std::size_t maxBody) {
    try {
        char buf[16384];
        while (is.read(buf, sizeof buf) || is.gcount() > 0) {
            body.append(buf, static_cast<std::size_t>(is.gcount()));
            if (body.size() > maxBody) throw ReadError("response body too large");
        }
        if (is.bad()) throw ReadError("read error");
    } catch (const Poco::Exception& e) {
        throw ReadError(e.displayText());
    }
}

/// One request and its response, redirects not followed; `location` receives
/// the Location header. Failures become TransportError, or ReadError once the
/// response head is in.
InboundResponse exchange(const OutboundRequest& current, const Poco::URI& uri, const std::optional<ProxySpec>& proxy,
                         const Poco::Timespan& span, std::size_t maxBody, CancelToken* cancel, std::string& location) {
    InboundResponse out;
    try {
        if (cancel && cancel->cancelled()) throw TransportError("cancelled");
        auto session = openOutboundSession(uri, proxy, span);
        const CancelRegistration registration(cancel, session.get());
        const std::string target = rawTarget(current.url);
        Poco::Net::HTTPRequest req(current.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        req.setHost(uri.getHost(), uri.getPort());
        if (!current.hostOverride.empty()) req.setHost(current.hostOverride);
        for (const auto& [k, v] : current.headers) req.set(k, v);
        if (!current.body.empty() || current.method == "POST" || current.method == "PUT" || current.method == "PATCH")
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
        readBody(is, out.body, maxBody);
    } catch (const ReadError&) {
        throw;
    } catch (const TransportError&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw TransportError(e.displayText());
    } catch (const std::exception& e) {
        throw TransportError(e.what());
    }
    return out;
}

/// Turns `current` into the request a redirect asks for, as Go's client does:
/// 301/302/303 become a GET without body, and credentials stay behind on
/// another host. False when `location` does not resolve (the redirect is then the answer).
bool followRedirect(OutboundRequest& current, const Poco::URI& uri, int status, const std::string& location) {
    Poco::URI next(uri);
    try {
        next.resolve(location);
    } catch (const Poco::Exception&) {
        return false;
    }
    if (status == 301 || status == 302 || status == 303) {
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
    return true;
}

}  // namespace

InboundResponse performRequest(const OutboundRequest& request, const std::optional<ProxySpec>& proxy,
                               std::chrono::milliseconds timeout, std::size_t maxBody, CancelToken* cancel) {
    const Poco::Timespan span(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000);
    OutboundRequest current = request;
    for (int hop = 0;; ++hop) {
        const Poco::URI uri = outboundUri(current.url);
        std::string location;
        InboundResponse out = exchange(current, uri, proxy, span, maxBody, cancel, location);
        if (!isRedirect(out.status) || location.empty()) return out;
        if (hop >= 9) throw TransportError("stopped after 10 redirects");
        if (!followRedirect(current, uri, out.status, location)) return out;
    }
}

}  // namespace cpa::oauth
