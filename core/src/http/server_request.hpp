#pragma once
// One request read from a connection with Poco's HTTP parser and body
// streams. Unlike Poco's HTTPServerRequestImpl it asks the kernel for the
// peer's address once per connection (not twice per request) and answers
// "Expect: 100-continue" only when the body is actually read.
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerSession.h>

#include <istream>
#include <memory>

namespace cpa::core {

/// Poco's server session, with the read-ahead visible: a pipelined request
/// already buffered needs no wait on the socket.
class ConnectionSession final : public Poco::Net::HTTPServerSession {
public:
    using Poco::Net::HTTPServerSession::HTTPServerSession;
    bool hasBufferedInput() const { return buffered() > 0; }
};

class ServerRequest final : public Poco::Net::HTTPRequest {
public:
    explicit ServerRequest(ConnectionSession& session) : session_(session) {}
    ServerRequest(const ServerRequest&) = delete;
    ServerRequest& operator=(const ServerRequest&) = delete;

    /// Reads the request line and headers. Throws Poco::Net::NoMessageException
    /// when the peer closed before sending anything, MessageException on a
    /// malformed head, and network exceptions as Poco does.
    void readHead();
    /// The body (empty when the request has none). The first call sends
    /// "100 Continue" when the client waits for it.
    std::istream& body();
    Poco::Net::StreamSocket& socket() { return session_.socket(); }

private:
    ConnectionSession& session_;
    std::unique_ptr<std::istream> body_;
    bool continueSent_ = false;
};

}  // namespace cpa::core
