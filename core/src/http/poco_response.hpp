#pragma once
// sdk::Response over a Poco server response: buffered until send(), or
// streamed with chunked transfer encoding after stream().
#include <cpa/sdk/http.hpp>

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include <ostream>
#include <string>
#include <vector>

namespace cpa::core {

class PocoResponse;

class PocoStreamWriter final : public sdk::StreamWriter {
public:
    explicit PocoStreamWriter(PocoResponse& owner) : owner_(owner) {}
    bool write(std::string_view chunk) override;
    bool flush() override;

private:
    PocoResponse& owner_;
};

class PocoResponse final : public sdk::Response {
public:
    /// `headRequest`: headers only, never a body. `http10`: the client cannot
    /// take chunked encoding, a stream then ends with the connection.
    /// `socket` (optional): the connection's socket. A buffered response is
    /// then rendered with Poco's header set but written by us, head and body
    /// in one send: Poco's send() builds two output streams and writes the
    /// headers twice (once only to count them), a large share of a small
    /// request's CPU time.
    PocoResponse(Poco::Net::HTTPServerResponse& res, bool headRequest, bool http10,
                 Poco::Net::StreamSocket* socket = nullptr);

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

    /// Close the connection after this response: "Connection: close" when the
    /// headers are still to be sent, otherwise no further request is read.
    void closeAfter() noexcept;
    bool closing() const noexcept { return close_; }
    /// Drops the status, body and every header not named in `keep` (used
    /// before an error response replaces a half-built one). No-op when streaming.
    void reset(const std::vector<std::string>& keep);
    /// Sends a buffered response, or ends a stream. Never throws; false when
    /// the client could not be written to.
    bool send() noexcept;
    bool sent() const noexcept { return sent_; }
    /// False once a write to the client failed.
    bool clientAlive() const noexcept { return !gone_; }
    std::size_t bytesWritten() const noexcept { return bytesWritten_; }

private:
    friend class PocoStreamWriter;
    void commitHeaders();
    bool writeChunk(std::string_view chunk);
    bool flushStream();
    void sendDirect();
    bool writeDirect(std::string_view chunk);
    /// Stream writes at least this large bypass Poco's 4 KiB chunking.
    static constexpr std::size_t kDirectChunk = 16 * 1024;

    Poco::Net::HTTPServerResponse& res_;
    Poco::Net::StreamSocket* socket_;
    bool head_;
    bool http10_;
    int status_ = 200;
    std::vector<sdk::Header> headers_;
    std::string body_;
    bool close_ = false;
    bool streaming_ = false;
    bool sent_ = false;
    bool gone_ = false;
    std::size_t bytesWritten_ = 0;
    std::ostream* out_ = nullptr;
    PocoStreamWriter writer_{*this};
};

}  // namespace cpa::core
