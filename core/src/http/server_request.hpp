#pragma once
// sdk::Request over a parsed head (request_head.hpp) and its connection. The
// body is read lazily on the first body() call, bounded by the server's limit;
// finishBody() keeps the keep-alive connection sane when the handler did not
// read it.
#include <cpa/sdk/http.hpp>

#include "http/connection_reader.hpp"
#include "http/request_head.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cpa::core {

struct RequestLine {
    std::string methodText;  ///< as received ("GET", "PROPFIND"…)
    std::string path;        ///< percent-decoded, without the query
    std::string rawQuery;    ///< as received, without '?'
};

class ServerRequest final : public sdk::Request {
public:
    /// Takes the head's headers; the rest of `head` must outlive the request.
    ServerRequest(RequestHead& head, ConnectionReader& reader, RequestLine line, std::string peer, std::string clientIp,
                std::string requestId, std::size_t maxBodyBytes);

    /// Fills the route-dependent parts after routing.
    /// A request that matched no route (see sdk::Phase::Unrouted).
    void setUnrouted(sdk::Method method) noexcept { method_ = method; }
    /// `pattern` is the frozen router's, which outlives every request.
    void setRoute(sdk::Method method, sdk::Access access, const std::string& pattern, std::vector<sdk::Header> params);

    const std::string& methodText() const noexcept { return line_.methodText; }
    const std::string& rawQuery() const noexcept { return line_.rawQuery; }

    /// Reads and discards a small unread body so the connection can serve the
    /// next request; false when the connection must be closed instead (body
    /// too large or partly read, or a read error).
    bool finishBody() noexcept;
    /// The body is refused unread (413 on Content-Length): body() throws 413
    /// and finishBody() asks for the connection to close.
    void refuseBody() noexcept { bodyState_ = BodyState::TooLarge; }
    /// Whether the body was refused for its size (announced or, chunked, counted).
    bool bodyTooLarge() const noexcept { return bodyState_ == BodyState::TooLarge; }
    /// The matched route's bound (0 = unlimited), before the body is read.
    void limitBody(std::size_t maxBytes) noexcept { maxBodyBytes_ = maxBytes; }
    /// Returns a large body's memory to the system (malloc_trim), so one
    /// big request does not leave the process that much larger.
    ~ServerRequest() override;

    // sdk::Request
    sdk::Method method() const override { return method_; }
    const std::string& path() const override { return line_.path; }
    std::string param(std::string_view name) const override;
    std::optional<std::string> query(std::string_view name) const override;
    const std::vector<sdk::Header>& queryParams() const override { return query_; }
    std::optional<std::string> header(std::string_view name) const override;
    const std::vector<sdk::Header>& headers() const override { return headers_; }
    /// Throws sdk::HttpError 413 {"error":"request body too large"} over the
    /// limit and 400 on a read error (both also on later calls).
    const std::string& body() const override;
    const std::string& peerAddress() const override { return peer_; }
    const std::string& clientIp() const override { return clientIp_; }
    const std::string& requestId() const override { return requestId_; }
    sdk::Access access() const override { return access_; }
    const std::string& routePattern() const override { return *pattern_; }
    void setAttribute(std::string key, sdk::Value v) override;
    const sdk::Value* attribute(std::string_view key) const override;

private:
    enum class BodyState { Unread, Read, TooLarge, Failed };

    const RequestHead& head_;
    ConnectionReader& reader_;
    /// Sends "100 Continue" on the connection's socket before the body is read.
    void continueIfAsked() const;
    RequestLine line_;
    std::string peer_;
    std::string clientIp_;
    std::string requestId_;
    std::size_t maxBodyBytes_;
    sdk::Method method_ = sdk::Method::Get;
    sdk::Access access_ = sdk::Access::Public;
    const std::string* pattern_ = &kNoPattern;
    static const std::string kNoPattern;
    std::vector<sdk::Header> params_;
    std::vector<sdk::Header> query_;
    std::vector<sdk::Header> headers_;
    std::map<std::string, sdk::Value, std::less<>> attributes_;
    mutable std::string body_;
    mutable BodyState bodyState_ = BodyState::Unread;
};

}  // namespace cpa::core
