#pragma once
// The read side of one client connection: a buffer over the socket, request
// heads cut from it, and the current request's body (Content-Length or
// chunked) read through it. Bytes past the current request stay buffered for
// the next (pipelining). Heads are read without blocking, so a connection
// whose head has not (fully) arrived can wait without a thread
// (connection_parking.hpp) and resume with what it has read so far.
#include "http/request_head.hpp"

#include <Poco/Net/StreamSocket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace cpa::core {

class ConnectionReader {
public:
    /// Largest request head accepted (request line and headers).
    static constexpr std::size_t kMaxHead = 64 * 1024;

    enum class Head {
        Ok,
        Closed,     ///< the client closed (or reset) before a complete head
        Malformed,  ///< 400
        TooLarge,   ///< 431
        UnsupportedCoding,  ///< 501
        MissingHost,  ///< 400: HTTP/1.1 without Host
        Pending,      ///< incomplete, and no more bytes have arrived yet
    };

    explicit ConnectionReader(Poco::Net::StreamSocket& socket);

    Poco::Net::StreamSocket& socket() noexcept { return socket_; }
    /// True when bytes of a next request are already buffered.
    bool hasBuffered() const noexcept { return end_ > begin_; }
    /// Reads the next head into `out` and prepares its body for readBody().
    /// Never blocks: Pending when the head is incomplete and the socket has
    /// nothing more now (call again once it is readable; what was read is
    /// kept). Socket failures count as Closed.
    Head readHead(RequestHead& out);
    /// Frees the buffer while nothing is buffered (a parked connection keeps no 16 KiB).
    void releaseIdleBuffer() noexcept;
    /// Up to `n` bytes of the current body; 0 at its end. Throws
    /// std::runtime_error when the client sends a broken chunked body,
    /// disconnects early or stays silent past the socket's receive timeout.
    std::size_t readBody(char* dst, std::size_t n);
    /// True once the whole current body has been read.
    bool bodyDone() const noexcept { return state_ == Body::Done; }
    /// Whether any of the current body has been taken from the buffer or socket.
    bool bodyStarted() const noexcept { return bodyStarted_; }

private:
    enum class Body { Done, Fixed, ChunkSize, ChunkData, ChunkDataEnd, Trailers };

    /// Room for one more read at the end of the buffer.
    void reserveForRead();
    /// Receives more bytes into the buffer; false on end of stream. Throws on
    /// a socket error or timeout.
    bool fill();
    enum class Fill { Data, End, Empty };
    /// Receives what the socket has now, without waiting; errors are End.
    Fill fillNow() noexcept;
    /// Takes one line (without its end) from the buffer, reading as needed.
    std::string takeLine(std::size_t limit);
    std::size_t take(char* dst, std::size_t n);

    Poco::Net::StreamSocket& socket_;
    // Raw storage: growing it must not zero-fill bytes the socket overwrites.
    std::unique_ptr<char[]> buf_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;  ///< unread bytes are buf_[begin_, end_)
    std::size_t end_ = 0;
    Body state_ = Body::Done;
    std::uint64_t left_ = 0;  ///< of the fixed body or the current chunk
    std::size_t scanned_ = 0;  ///< bytes of an incomplete head already searched for its end
    bool bodyStarted_ = false;
};

}  // namespace cpa::core
