#pragma once
// sdk::Response written straight to the connection's socket: a buffered
// response as head and body in one send; a stream as its head at once, then
// chunks (HTTP/1.0: raw bytes, ending with the connection).
#include <cpa/sdk/http.hpp>

#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::core {

class ServerResponse;

class ResponseStreamWriter final : public sdk::StreamWriter {
public:
    explicit ResponseStreamWriter(ServerResponse& owner) : owner_(owner) {}
    bool write(std::string_view chunk) override;
    bool flush() override;

private:
    ServerResponse& owner_;
};

/// What the connection decided about the response before the handler ran.
struct ResponseFrame {
    bool head = false;       ///< HEAD request: headers only, never a body
    bool http10 = false;     ///< HTTP/1.0 client: no chunked encoding
    bool keepAlive = true;   ///< the connection may serve another request
};

class ServerResponse final : public sdk::Response {
public:
    ServerResponse(Poco::Net::StreamSocket& socket, ResponseFrame frame);

    // sdk::Response
    void setStatus(int status) override;
    int status() const override { return status_; }
    void setHeader(std::string_view name, std::string_view value) override;
    void addHeader(std::string_view name, std::string_view value) override;
    std::optional<std::string> header(std::string_view name) const override;
    void setBody(std::string body, std::string_view contentType) override;
    const std::string& body() const override { return body_; }
    sdk::StreamWriter& stream() override;
    bool streaming() const override { return streaming_; }
    /// A failed write, or the peer's hang-up seen by a non-blocking poll.
    bool clientGone() const override;

    /// Close the connection after this response: "Connection: Close" when the
    /// headers are still to be sent, otherwise no further request is read.
    void closeAfter() noexcept { close_ = true; }
    bool closing() const noexcept { return close_; }
    /// Drops the status, body and every header not named in `keep` (used
    /// before an error response replaces a half-built one). No-op when streaming.
    void reset(const std::vector<std::string>& keep);
    /// Sends a buffered response, or ends a stream. Never throws; false when
    /// the client could not be written to.
    bool send() noexcept;
    /// When the first byte of the response went out (nullopt: nothing yet).
    std::optional<std::chrono::steady_clock::time_point> firstByteAt() const noexcept { return firstByte_; }
    /// A streaming response counts itself in `gauge` until it is destroyed.
    void countStreamsIn(std::atomic<std::size_t>& gauge) noexcept { streamGauge_ = &gauge; }
    ~ServerResponse() override;
    bool sent() const noexcept { return sent_; }
    /// False once a write to the client failed.
    bool clientAlive() const noexcept { return !gone_; }
    std::size_t bytesWritten() const noexcept { return bytesWritten_; }

    /// Stream writes at least this large go out as their own chunk at once;
    /// smaller ones are gathered up to this size or the next flush.
    static constexpr std::size_t kDirectChunk = 16 * 1024;

private:
    friend class ResponseStreamWriter;
    /// Status line, Date, Connection, the handler's headers (one Content-Type,
    /// at the first one's place, with the last value), then `framing`.
    std::string renderHead(std::string_view framing, std::size_t reserveBody) const;
    void sendDirect();
    bool writeChunk(std::string_view chunk);
    bool flushStream();
    /// Sends the gathered bytes, then `chunk`, then (when `last`) the end of
    /// a chunked body, in one sendmsg.
    bool emit(std::string_view chunk, bool last);
    bool bodyAllowed() const;

    Poco::Net::StreamSocket& socket_;
    ResponseFrame frame_;
    int status_ = 200;
    std::vector<sdk::Header> headers_;
    std::string body_;
    std::string pending_;      ///< stream bytes not yet sent
    std::string headPending_;  ///< a stream's head, until its first bytes go out
    bool close_ = false;
    bool streaming_ = false;
    bool chunked_ = false;
    bool sent_ = false;
    bool gone_ = false;
    std::size_t bytesWritten_ = 0;
    ResponseStreamWriter writer_{*this};
    std::optional<std::chrono::steady_clock::time_point> firstByte_;
    std::atomic<std::size_t>* streamGauge_ = nullptr;
    bool streamCounted_ = false;
};

}  // namespace cpa::core
