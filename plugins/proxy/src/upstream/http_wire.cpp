#include "upstream/http_wire.hpp"

#include <cpa/sdk/text.hpp>

#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocketImpl.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace cpa::proxy::upstream {
namespace {

constexpr std::size_t kMaxHead = 256 * 1024;

std::string_view trimView(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

bool containsToken(std::string_view value, std::string_view token) {
    std::size_t pos = 0;
    while (pos <= value.size()) {
        auto comma = value.find(',', pos);
        if (comma == std::string_view::npos) comma = value.size();
        if (cpa::sdk::iequals(trimView(value.substr(pos, comma - pos)), token)) return true;
        pos = comma + 1;
    }
    return false;
}

}  // namespace

bool waitReadable(int fd, Clock::duration timeout) {
    // poll(2) itself: Poco's Socket::poll builds an epoll instance per call
    // (epoll_create, epoll_ctl, epoll_wait, close), four syscalls per wait.
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    const timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    pollfd p{fd, POLLIN, 0};
    const int r = ::ppoll(&p, 1, &ts, nullptr);
    return r != 0 && !(r < 0 && errno == EINTR);  // an error: let the read report it
}

void writeRequest(Poco::Net::StreamSocket& socket, std::string_view method, std::string_view target,
                  std::string_view host, const HeaderList& headers, const std::string& body,
                  std::string_view extraHeaders) {
    // One buffer per thread, reused: the head is built without temporaries.
    thread_local std::string out;
    out.clear();
    out.reserve(512 + body.size());
    const auto line = [](std::string_view k, std::string_view v) {
        // Header injection guard: values come from config and client headers.
        if (k.find_first_of("\r\n:") != std::string_view::npos || v.find_first_of("\r\n") != std::string_view::npos)
            return;
        // The framing is ours: a configured length or encoding would corrupt it.
        if (cpa::sdk::iequals(k, "Content-Length") || cpa::sdk::iequals(k, "Transfer-Encoding")) return;
        out.append(k).append(": ").append(v).append("\r\n");
    };
    out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
    if (!host.empty()) line("Host", host);
    for (const auto& [k, v] : headers) line(k, v);
    out.append(extraHeaders);
    char length[24];
    const int n = std::snprintf(length, sizeof length, "%zu", body.size());
    out.append("Content-Length: ").append(length, static_cast<std::size_t>(n)).append("\r\n\r\n");
    out.append(body);
    std::size_t off = 0;
    while (off < out.size()) {
        const int sent = socket.sendBytes(out.data() + off,
                                          static_cast<int>(std::min<std::size_t>(out.size() - off, 1 << 20)), MSG_NOSIGNAL);
        if (sent <= 0) throw Poco::Net::ConnectionResetException("upstream closed the connection while sending");
        off += static_cast<std::size_t>(sent);
    }
    if (out.capacity() > (1u << 20)) std::string().swap(out);  // do not pin a huge body per thread
}

namespace {

// A reader's buffer goes back to its thread when the reader ends, so the next
// upstream call on that thread reads into memory that is already there.
thread_local std::string tSpareBuffer;
thread_local HeaderList tSpareHeaders;
constexpr std::size_t kSpareBufferMax = 256 * 1024;

// SocketImpl::error is protected: reached through a never-built subclass, so
// a failed recv reports exactly what Poco's receiveBytes would have.
struct PocoSocketError : Poco::Net::SocketImpl {
    [[noreturn]] static void raise(int code) {
        error(code);
        throw Poco::IOException("socket error");  // error() always throws; keeps [[noreturn]] honest
    }
};

}  // namespace

ResponseReader::ResponseReader(Poco::Net::StreamSocket& socket, long long* armedTimeoutUs)
    : socket_(socket),
      secure_(dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl()) != nullptr),
      armedUs_(armedTimeoutUs ? armedTimeoutUs : &ownArmedUs_) {
    buffer_.swap(tSpareBuffer);
    buffer_.clear();
    headers_.swap(tSpareHeaders);
    headers_.clear();
    headers_.reserve(12);
}

ResponseReader::~ResponseReader() {
    if (buffer_.capacity() <= kSpareBufferMax && buffer_.capacity() > tSpareBuffer.capacity()) {
        buffer_.clear();
        tSpareBuffer.swap(buffer_);
    }
    if (headers_.capacity() > tSpareHeaders.capacity()) {
        headers_.clear();
        tSpareHeaders.swap(headers_);
    }
}

std::string_view ResponseReader::headerView(std::string_view name) const {
    for (const auto& [k, v] : headers_)
        if (cpa::sdk::iequals(k, name)) return v;
    return {};
}

std::string ResponseReader::header(std::string_view name) const { return std::string(headerView(name)); }

ReadStatus ResponseReader::fillPlain(Clock::time_point wakeAt) {
    const int fd = socket_.impl()->sockfd();
    char buf[16384];
    for (;;) {
        const auto now = Clock::now();
        if (wakeAt <= now) return ReadStatus::Wait;
        const long long need = std::chrono::duration_cast<std::chrono::microseconds>(wakeAt - now).count() + 1;
        long long& armed = *armedUs_;
        if (armed <= 0 || armed > need + kRecvTimeoutSlackUs || armed < need / 2) {
            const timeval tv{static_cast<time_t>(need / 1'000'000), static_cast<suseconds_t>(need % 1'000'000)};
            if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) PocoSocketError::raise(errno);
            armed = need;
        }
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            receivedAny_ = true;
            buffer_.append(buf, static_cast<std::size_t>(n));
            return ReadStatus::Data;
        }
        if (n == 0) {
            eof_ = true;
            return ReadStatus::Closed;
        }
        // Timed out (or a signal): the loop decides whether the wake-up is due.
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
        PocoSocketError::raise(errno);
    }
}

ReadStatus ResponseReader::fill(Clock::time_point wakeAt) {
    if (eof_) return ReadStatus::Closed;
    try {
        // (A non-blocking socket would make recv spin: it keeps the poll path.)
        if (!secure_ && socket_.impl()->getBlocking()) return fillPlain(wakeAt);
        // TLS may hold decrypted bytes the kernel no longer reports.
        if (!secure_ || socket_.impl()->available() <= 0) {
            const auto now = Clock::now();
            if (wakeAt <= now) return ReadStatus::Wait;
            if (!waitReadable(socket_.impl()->sockfd(), wakeAt - now)) return ReadStatus::Wait;
        }
        char buf[16384];
        const int n = socket_.receiveBytes(buf, sizeof buf);
        if (n <= 0) {
            eof_ = true;
            return ReadStatus::Closed;
        }
        receivedAny_ = true;
        buffer_.append(buf, static_cast<std::size_t>(n));
        return ReadStatus::Data;
    } catch (const Poco::TimeoutException&) {
        return ReadStatus::Wait;
    } catch (const Poco::Exception& e) {
        error_ = e.displayText();
        eof_ = true;
        return ReadStatus::Error;
    }
}

ReadStatus ResponseReader::readHead(Clock::time_point wakeAt) {
    for (;;) {
        const auto end = buffer_.find("\r\n\r\n");
        if (end != std::string::npos) {
            // Parsed in place; the head leaves the buffer once its headers are copied out.
            const std::string_view head(buffer_.data(), end + 2);
            std::size_t lineEnd = head.find("\r\n");
            const std::string_view statusLine = head.substr(0, lineEnd);
            if (statusLine.substr(0, 7) != "HTTP/1." || statusLine.size() < 12) {
                error_ = "malformed upstream status line";
                return ReadStatus::Error;
            }
            if (statusLine.substr(0, 8) == "HTTP/1.0") keepAlive_ = false;
            status_ = std::atoi(statusLine.data() + 9);  // stops at the space or CR after the digits
            std::size_t pos = lineEnd + 2;
            while (pos < head.size()) {
                lineEnd = head.find("\r\n", pos);
                const std::string_view line = head.substr(pos, lineEnd - pos);
                pos = lineEnd + 2;
                const auto colon = line.find(':');
                if (colon == std::string_view::npos) continue;
                headers_.emplace_back(trimView(line.substr(0, colon)), trimView(line.substr(colon + 1)));
            }
            buffer_.erase(0, end + 4);
            if (status_ == 100) {  // interim response: wait for the real one
                headers_.clear();
                continue;
            }
            const std::string_view te = headerView("Transfer-Encoding");
            const std::string_view cl = headerView("Content-Length");
            if (containsToken(headerView("Connection"), "close")) keepAlive_ = false;
            if (status_ == 204 || status_ == 304 || (status_ >= 100 && status_ < 200)) {
                framing_ = Framing::Length;
                remaining_ = 0;
            } else if (containsToken(te, "chunked")) {
                framing_ = Framing::Chunked;
            } else if (!cl.empty()) {
                framing_ = Framing::Length;
                remaining_ = std::strtoull(std::string(cl).c_str(), nullptr, 10);
            } else {
                framing_ = Framing::UntilClose;
                keepAlive_ = false;
            }
            return ReadStatus::Data;
        }
        if (buffer_.size() > kMaxHead) {
            error_ = "upstream response head too large";
            return ReadStatus::Error;
        }
        const ReadStatus st = fill(wakeAt);
        if (st != ReadStatus::Data) return st;
    }
}

namespace {
/// Leading hex digits of a chunk-size line (extensions after `;` ignored);
/// none → 0, as strtoull read it; too large → SIZE_MAX (read until close).
std::size_t chunkSizeOf(std::string_view line) {
    std::size_t v = 0;
    const std::from_chars_result r = std::from_chars(line.data(), line.data() + line.size(), v, 16);
    return r.ec == std::errc::result_out_of_range ? SIZE_MAX : v;
}
}  // namespace

bool ResponseReader::decode(std::string& out) {
    const std::size_t before = out.size();
    switch (framing_) {
        case Framing::None:
            break;
        case Framing::UntilClose:
            out += buffer_;
            buffer_.clear();
            break;
        case Framing::Length: {
            const std::size_t n = std::min(remaining_, buffer_.size());
            out.append(buffer_, 0, n);
            buffer_.erase(0, n);
            remaining_ -= n;
            if (remaining_ == 0) done_ = true;
            break;
        }
        case Framing::Chunked: {
            // Walk with a cursor and drop the consumed bytes once: one memmove per call, not three per chunk.
            std::size_t at = 0;
            while (!done_) {
                const std::string_view rest = std::string_view(buffer_).substr(at);
                if (chunkState_ == ChunkState::Size) {
                    const auto eol = rest.find("\r\n");
                    if (eol == std::string_view::npos) break;
                    remaining_ = chunkSizeOf(rest.substr(0, eol));
                    at += eol + 2;
                    chunkState_ = remaining_ == 0 ? ChunkState::Trailer : ChunkState::Data;
                } else if (chunkState_ == ChunkState::Data) {
                    if (rest.empty()) break;
                    const std::size_t n = std::min<std::size_t>(remaining_, rest.size());
                    out.append(rest.data(), n);
                    at += n;
                    remaining_ -= n;
                    if (remaining_ == 0) chunkState_ = ChunkState::DataEnd;
                } else if (chunkState_ == ChunkState::DataEnd) {
                    if (rest.size() < 2) break;
                    at += 2;
                    chunkState_ = ChunkState::Size;
                } else {  // trailers end with an empty line
                    const auto eol = rest.find("\r\n");
                    if (eol == std::string_view::npos) break;
                    at += eol + 2;
                    if (eol == 0) done_ = true;
                }
            }
            buffer_.erase(0, at);
            break;
        }
    }
    return out.size() > before;
}

ReadStatus ResponseReader::readBody(std::string& out, Clock::time_point wakeAt) {
    for (;;) {
        if (decode(out)) return ReadStatus::Data;
        if (done_) return ReadStatus::End;
        const ReadStatus st = fill(wakeAt);
        if (st == ReadStatus::Closed && framing_ == Framing::UntilClose) {
            done_ = true;
            return ReadStatus::End;
        }
        if (st != ReadStatus::Data) return st;
    }
}

}  // namespace cpa::proxy::upstream
