#include "upstream/http_wire.hpp"

#include <cpa/sdk/text.hpp>

#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocketImpl.h>

#include <algorithm>
#include <cerrno>

#include <poll.h>

namespace cpa::proxy::upstream {
namespace {

constexpr std::size_t kMaxHead = 256 * 1024;

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t\r") - b + 1));
}

bool containsToken(std::string_view value, std::string_view token) {
    std::size_t pos = 0;
    while (pos <= value.size()) {
        auto comma = value.find(',', pos);
        if (comma == std::string_view::npos) comma = value.size();
        if (cpa::sdk::iequals(trim(value.substr(pos, comma - pos)), token)) return true;
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

void writeRequest(Poco::Net::StreamSocket& socket, const std::string& method, const std::string& target,
                  const HeaderList& headers, const std::string& body, std::string_view extraHeaders) {
    std::string out;
    out.reserve(512 + body.size());
    out += method + " " + target + " HTTP/1.1\r\n";
    for (const auto& [k, v] : headers) {
        // Header injection guard: values come from config and client headers.
        if (k.find_first_of("\r\n:") != std::string::npos || v.find_first_of("\r\n") != std::string::npos) continue;
        // The framing is ours: a configured length or encoding would corrupt it.
        if (cpa::sdk::iequals(k, "Content-Length") || cpa::sdk::iequals(k, "Transfer-Encoding")) continue;
        out += k + ": " + v + "\r\n";
    }
    out += extraHeaders;
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out += body;
    std::size_t off = 0;
    while (off < out.size()) {
        const int n = socket.sendBytes(out.data() + off, static_cast<int>(std::min<std::size_t>(out.size() - off, 1 << 20)),
                                     MSG_NOSIGNAL);
        if (n <= 0) throw Poco::Net::ConnectionResetException("upstream closed the connection while sending");
        off += static_cast<std::size_t>(n);
    }
}

ResponseReader::ResponseReader(Poco::Net::StreamSocket& socket)
    : socket_(socket), secure_(dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl()) != nullptr) {}

std::string ResponseReader::header(std::string_view name) const {
    for (const auto& [k, v] : headers_)
        if (cpa::sdk::iequals(k, name)) return v;
    return {};
}

ReadStatus ResponseReader::fill(Clock::time_point wakeAt) {
    if (eof_) return ReadStatus::Closed;
    try {
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
            const std::string head = buffer_.substr(0, end + 2);
            buffer_.erase(0, end + 4);
            std::size_t lineEnd = head.find("\r\n");
            const std::string statusLine = head.substr(0, lineEnd);
            if (statusLine.rfind("HTTP/1.", 0) != 0 || statusLine.size() < 12) {
                error_ = "malformed upstream status line";
                return ReadStatus::Error;
            }
            if (statusLine.compare(0, 8, "HTTP/1.0") == 0) keepAlive_ = false;
            status_ = std::atoi(statusLine.c_str() + 9);
            std::size_t pos = lineEnd + 2;
            while (pos < head.size()) {
                lineEnd = head.find("\r\n", pos);
                const std::string line = head.substr(pos, lineEnd - pos);
                pos = lineEnd + 2;
                const auto colon = line.find(':');
                if (colon == std::string::npos) continue;
                headers_.emplace_back(trim(line.substr(0, colon)), trim(std::string_view(line).substr(colon + 1)));
            }
            if (status_ == 100) {  // interim response: wait for the real one
                headers_.clear();
                continue;
            }
            const std::string te = header("Transfer-Encoding");
            const std::string cl = header("Content-Length");
            if (containsToken(header("Connection"), "close")) keepAlive_ = false;
            if (status_ == 204 || status_ == 304 || (status_ >= 100 && status_ < 200)) {
                framing_ = Framing::Length;
                remaining_ = 0;
            } else if (containsToken(te, "chunked")) {
                framing_ = Framing::Chunked;
            } else if (!cl.empty()) {
                framing_ = Framing::Length;
                remaining_ = std::strtoull(cl.c_str(), nullptr, 10);
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
        case Framing::Chunked:
            while (!done_) {
                if (chunkState_ == ChunkState::Size) {
                    const auto eol = buffer_.find("\r\n");
                    if (eol == std::string::npos) break;
                    remaining_ = std::strtoull(buffer_.c_str(), nullptr, 16);
                    buffer_.erase(0, eol + 2);
                    chunkState_ = remaining_ == 0 ? ChunkState::Trailer : ChunkState::Data;
                } else if (chunkState_ == ChunkState::Data) {
                    if (buffer_.empty()) break;
                    const std::size_t n = std::min(remaining_, buffer_.size());
                    out.append(buffer_, 0, n);
                    buffer_.erase(0, n);
                    remaining_ -= n;
                    if (remaining_ == 0) chunkState_ = ChunkState::DataEnd;
                } else if (chunkState_ == ChunkState::DataEnd) {
                    if (buffer_.size() < 2) break;
                    buffer_.erase(0, 2);
                    chunkState_ = ChunkState::Size;
                } else {  // trailers end with an empty line
                    const auto eol = buffer_.find("\r\n");
                    if (eol == std::string::npos) break;
                    buffer_.erase(0, eol + 2);
                    if (eol == 0) done_ = true;
                }
            }
            break;
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
