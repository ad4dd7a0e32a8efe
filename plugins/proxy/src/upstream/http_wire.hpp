#pragma once
// HTTP/1.1 on a raw connection: writing one request and reading its
// response incrementally with poll-based waits, so the caller can wake up
// for keep-alives, deadlines and cancellation between reads.
#include "exec/executor.hpp"
#include "upstream/dial.hpp"

#include <Poco/Net/StreamSocket.h>

#include <string>

namespace cpa::proxy::upstream {

/// Waits until `fd` is readable (or closed / in error); false when `timeout`
/// passed (or a signal interrupted the wait).
bool waitReadable(int fd, Clock::duration timeout);

/// Plain sockets wait inside a blocking recv(2) bounded by SO_RCVTIMEO (one
/// syscall per read instead of poll + recv). The option is set again only
/// when the armed value would overshoot the wanted wake-up by more than this
/// (or is far too short): a stream's keep-alive timer and a call's deadline
/// move by microseconds between reads, so it is set about once per connection.
inline constexpr long long kRecvTimeoutSlackUs = 5000;

/// Sends request line, `Host: host` (unless empty), headers (+ Content-Length)
/// and body. `extraHeaders` are whole "Name: value\r\n" lines added by the
/// transport (not logged). Throws Poco::Exception / DialError.
void writeRequest(Poco::Net::StreamSocket& socket, std::string_view method, std::string_view target,
                  std::string_view host, const HeaderList& headers, const std::string& body,
                  std::string_view extraHeaders = {});

enum class ReadStatus {
    Data,    ///< bytes (or the head) are available
    End,     ///< the body ended as framed
    Wait,    ///< `wakeAt` passed without news
    Closed,  ///< the peer closed before the framing said the body ended
    Error,   ///< socket or protocol error (see error())
};

class ResponseReader {
public:
    /// `armedTimeoutUs`: the SO_RCVTIMEO currently set on a plain socket
    /// (-1 = unknown), kept with the pooled connection so a later reader does
    /// not set it again; nullptr = this reader's own (starts unknown).
    explicit ResponseReader(Poco::Net::StreamSocket& socket, long long* armedTimeoutUs = nullptr);
    ~ResponseReader();
    ResponseReader(const ResponseReader&) = delete;
    ResponseReader& operator=(const ResponseReader&) = delete;

    ReadStatus readHead(Clock::time_point wakeAt);
    /// Appends the next decoded body bytes to `out`.
    ReadStatus readBody(std::string& out, Clock::time_point wakeAt);

    int status() const { return status_; }
    const HeaderList& headers() const { return headers_; }
    std::string header(std::string_view name) const;
    const std::string& error() const { return error_; }
    /// True when the whole body was read and the connection may carry another request.
    bool reusable() const { return done_ && keepAlive_; }
    /// True once any response byte arrived.
    bool receivedAny() const { return receivedAny_; }

private:
    enum class Framing { Length, Chunked, UntilClose, None };
    enum class ChunkState { Size, Data, DataEnd, Trailer };

    ReadStatus fill(Clock::time_point wakeAt);
    ReadStatus fillPlain(Clock::time_point wakeAt);
    std::string_view headerView(std::string_view name) const;
    bool decode(std::string& out);  ///< moves decodable bytes to out; sets done_

    Poco::Net::StreamSocket& socket_;
    std::string buffer_;
    std::string error_;
    int status_{};
    HeaderList headers_;
    Framing framing_{Framing::None};
    ChunkState chunkState_{ChunkState::Size};
    std::size_t remaining_{};
    bool done_{}, keepAlive_{true}, receivedAny_{}, eof_{};
    bool secure_{};  ///< TLS: decrypted bytes may wait inside the TLS layer
    long long ownArmedUs_{-1};
    long long* armedUs_;
};

}  // namespace cpa::proxy::upstream
