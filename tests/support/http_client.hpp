#pragma once
// A small HTTP/1.1 client over Poco::Net::HTTPClientSession for tests.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
}

namespace cpa::test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
    int status = 0;
    std::string reason;
    HeaderList headers;  ///< as received, in order
    std::string body;

    /// First value of a header, case-insensitive name.
    std::optional<std::string> header(const std::string& name) const;
    std::size_t headerCount(const std::string& name) const;
};

struct HttpClientOptions {
    bool keepAlive = true;  ///< reuse one connection for consecutive requests
    std::string localAddress;  ///< bind the client socket here first (e.g. "127.0.0.2"); "" = any
    std::chrono::milliseconds timeout{10000};
};

class HttpClient {
public:
    HttpClient(std::string host, std::uint16_t port, HttpClientOptions options = {});
    ~HttpClient();

    /// Throws Poco::Exception on connection and protocol errors.
    HttpResponse request(const std::string& method, const std::string& path, const HeaderList& headers = {},
                         const std::string& body = {});
    HttpResponse get(const std::string& path, const HeaderList& headers = {}) {
        return request("GET", path, headers);
    }

    /// Local port of the current connection (0 when none): equal values across
    /// requests prove a connection was reused.
    std::uint16_t localPort() const;
    /// Drops the connection.
    void reset();

    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

private:
    void connect();

    std::string host_;
    std::uint16_t port_;
    HttpClientOptions options_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    bool reusable_ = false;  ///< the last response left the connection open
};

/// One request on a fresh connection.
HttpResponse httpRequest(std::uint16_t port, const std::string& method, const std::string& path,
                         const HeaderList& headers = {}, const std::string& body = {});

}  // namespace cpa::test
