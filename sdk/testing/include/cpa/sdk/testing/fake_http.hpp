#pragma once
// In-memory Request/Response for module unit tests: no socket, no server.
// Not thread-safe: drive one request from one thread at a time.
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpa::sdk::testing {

/// A request whose every field can be set. Defaults: GET "/", no headers, empty
/// body, peer and client IP 127.0.0.1, request id "0000000000000001",
/// Access::Public. Setters return *this for chaining.
class FakeRequest : public Request {
public:
    FakeRequest() = default;
    /// `target` is a path with an optional query string ("/x?a=1&b=two%20words"):
    /// the path is percent-decoded, the query split into queryParams() (with
    /// '+' as a space, as Go's url.Query does).
    FakeRequest(Method method, std::string_view target, std::string body = {});

    FakeRequest& setMethod(Method m);
    /// Replaces path and query parameters from a target (see the constructor).
    FakeRequest& setTarget(std::string_view target);
    /// Sets the (already decoded) path; query parameters stay.
    FakeRequest& setPath(std::string path);
    /// Sets a `:name` route parameter (FakeRouter::dispatch fills these itself).
    FakeRequest& setParam(std::string name, std::string value);
    FakeRequest& clearParams();
    FakeRequest& addQuery(std::string name, std::string value);
    /// Replaces every header of that name (case-insensitive).
    FakeRequest& setHeader(std::string name, std::string value);
    FakeRequest& addHeader(std::string name, std::string value);
    FakeRequest& removeHeader(std::string_view name);
    FakeRequest& setBody(std::string body);
    /// Body = toJson(v) and Content-Type: application/json.
    FakeRequest& setJsonBody(const Value& v);
    /// Sets the peer address and, as the core does without trusted proxies,
    /// the client IP too.
    FakeRequest& setPeerAddress(std::string ip);
    FakeRequest& setClientIp(std::string ip);
    FakeRequest& setRequestId(std::string id);
    FakeRequest& setAccess(Access a);
    FakeRequest& setRoutePattern(std::string pattern);

    const std::vector<Header>& params() const noexcept { return params_; }
    const std::vector<std::pair<std::string, Value>>& attributes() const noexcept { return attributes_; }

    Method method() const override { return method_; }
    const std::string& path() const override { return path_; }
    std::string param(std::string_view name) const override;
    std::optional<std::string> query(std::string_view name) const override;
    const std::vector<Header>& queryParams() const override { return query_; }
    std::optional<std::string> header(std::string_view name) const override;
    const std::vector<Header>& headers() const override { return headers_; }
    const std::string& body() const override { return body_; }
    const std::string& peerAddress() const override { return peer_; }
    const std::string& clientIp() const override { return clientIp_; }
    const std::string& requestId() const override { return requestId_; }
    Access access() const override { return access_; }
    const std::string& routePattern() const override { return routePattern_; }
    void setAttribute(std::string key, Value v) override;
    const Value* attribute(std::string_view key) const override;

private:
    Method method_ = Method::Get;
    std::string path_ = "/";
    std::vector<Header> params_;
    std::vector<Header> query_;
    std::vector<Header> headers_;
    std::string body_;
    std::string peer_ = "127.0.0.1";
    std::string clientIp_ = "127.0.0.1";
    std::string requestId_ = "0000000000000001";
    Access access_ = Access::Public;
    std::string routePattern_;
    std::vector<std::pair<std::string, Value>> attributes_;
};

/// Captures what a streamed response writes.
class FakeStreamWriter : public StreamWriter {
public:
    bool write(std::string_view chunk) override;
    bool flush() override;

    /// Everything written while connected, in order.
    const std::string& data() const noexcept { return data_; }
    std::size_t writeCount() const noexcept { return writes_; }
    std::size_t flushCount() const noexcept { return flushes_; }
    /// Simulates the client going away: later writes and flushes return false
    /// and are dropped.
    void disconnect() noexcept { connected_ = false; }
    bool connected() const noexcept { return connected_; }

private:
    std::string data_;
    std::size_t writes_ = 0;
    std::size_t flushes_ = 0;
    bool connected_ = true;
};

/// Records status, headers and body. Status starts at 200. After stream()
/// the status, headers and buffered body are frozen: changing them throws
/// std::logic_error so a test notices what a real client would never see.
class FakeResponse : public Response {
public:
    void setStatus(int status) override;
    int status() const override { return status_; }
    void setHeader(std::string_view name, std::string_view value) override;
    void addHeader(std::string_view name, std::string_view value) override;
    std::optional<std::string> header(std::string_view name) const override;
    /// An empty contentType leaves the Content-Type header unchanged.
    void setBody(std::string body, std::string_view contentType) override;
    const std::string& body() const override { return body_; }
    StreamWriter& stream() override;
    bool streaming() const override { return streaming_; }
    /// True after writer().disconnect() (the client went away).
    bool clientGone() const override { return !writer_.connected(); }

    const std::vector<Header>& headers() const noexcept { return headers_; }
    /// The buffered body parsed as a JSON document (throws JsonError).
    Value bodyJson() const;
    FakeStreamWriter& writer() noexcept { return writer_; }
    const FakeStreamWriter& writer() const noexcept { return writer_; }
    /// What was written through stream().
    const std::string& streamed() const noexcept { return writer_.data(); }

private:
    void requireNotStreaming(const char* what) const;

    int status_ = 200;
    std::vector<Header> headers_;
    std::string body_;
    bool streaming_ = false;
    FakeStreamWriter writer_;
};

/// ASCII case-insensitive equality (HTTP header names).
bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept;

}  // namespace cpa::sdk::testing
