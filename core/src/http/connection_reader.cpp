#include "http/connection_reader.hpp"

#include <Poco/Exception.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <sys/socket.h>

namespace cpa::core {

namespace {

constexpr std::size_t kReadSize = 16 * 1024;
constexpr std::size_t kMaxChunkLine = 4096;

}  // namespace

ConnectionReader::ConnectionReader(Poco::Net::StreamSocket& socket) : socket_(socket) {}

void ConnectionReader::reserveForRead() {
    if (begin_ == end_) {
        begin_ = end_ = 0;
    } else if (begin_ > 0 && capacity_ - end_ < kReadSize) {
        // Keep the unread bytes at the front rather than growing.
        std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (capacity_ - end_ < kReadSize) {
        const std::size_t grown = end_ + kReadSize;
        auto bigger = std::make_unique_for_overwrite<char[]>(grown);
        if (end_ > 0) std::memcpy(bigger.get(), buf_.get(), end_);
        buf_ = std::move(bigger);
        capacity_ = grown;
    }
}

bool ConnectionReader::fill() {
    reserveForRead();
    const int n = socket_.receiveBytes(buf_.get() + end_, static_cast<int>(capacity_ - end_));
    if (n <= 0) return false;
    end_ += static_cast<std::size_t>(n);
    return true;
}

ConnectionReader::Fill ConnectionReader::fillNow() noexcept {
    try {
        reserveForRead();
    } catch (...) {
        return Fill::End;  // out of memory: the connection ends
    }
    for (;;) {
        const ssize_t n = ::recv(socket_.impl()->sockfd(), buf_.get() + end_, capacity_ - end_, MSG_DONTWAIT);
        if (n > 0) {
            end_ += static_cast<std::size_t>(n);
            return Fill::Data;
        }
        if (n == 0) return Fill::End;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? Fill::Empty : Fill::End;
    }
}

void ConnectionReader::releaseIdleBuffer() noexcept {
    if (begin_ != end_) return;
    buf_.reset();
    capacity_ = begin_ = end_ = 0;
}

ConnectionReader::Head ConnectionReader::readHead(RequestHead& out) {
    state_ = Body::Done;
    bodyStarted_ = false;
    for (;;) {
        const std::string_view window(buf_.get() + begin_, end_ - begin_);
        // The head ends at an empty line: "\n\n" or "\n\r\n".
        std::size_t stop = std::string_view::npos;
        std::size_t pos = scanned_ > 2 ? scanned_ - 2 : 0;
        while ((pos = window.find('\n', pos)) != std::string_view::npos) {
            if (pos + 1 < window.size() && window[pos + 1] == '\n') {
                stop = pos + 2;
                break;
            }
            if (pos + 2 < window.size() && window[pos + 1] == '\r' && window[pos + 2] == '\n') {
                stop = pos + 3;
                break;
            }
            ++pos;
        }
        // Empty lines before the request line are skipped, not an end.
        if (stop != std::string_view::npos && window.find_first_not_of("\r\n") >= stop) {
            begin_ += stop;
            scanned_ = 0;
            continue;
        }
        if (stop != std::string_view::npos) {
            scanned_ = 0;
            if (stop > kMaxHead) return Head::TooLarge;
            const HeadError e = parseRequestHead(window.substr(0, stop), out);
            begin_ += stop;
            if (e == HeadError::Malformed) return Head::Malformed;
            if (e == HeadError::UnsupportedCoding) return Head::UnsupportedCoding;
            if (e == HeadError::MissingHost) return Head::MissingHost;
            if (out.chunked) {
                state_ = Body::ChunkSize;
            } else if (out.contentLength && *out.contentLength > 0) {
                state_ = Body::Fixed;
                left_ = *out.contentLength;
            }
            return Head::Ok;
        }
        if (window.size() > kMaxHead) return Head::TooLarge;
        scanned_ = window.size();
        switch (fillNow()) {
            case Fill::Data:
                break;
            case Fill::End:
                return Head::Closed;
            case Fill::Empty:
                return Head::Pending;
        }
    }
}

std::size_t ConnectionReader::take(char* dst, std::size_t n) {
    if (begin_ == end_) {
        // Large bodies go from the socket straight to the caller.
        if (n >= kReadSize) {
            const int got = socket_.receiveBytes(dst, static_cast<int>(std::min<std::size_t>(n, 1u << 30)));
            if (got <= 0) throw std::runtime_error("client closed the connection inside the body");
            return static_cast<std::size_t>(got);
        }
        if (!fill()) throw std::runtime_error("client closed the connection inside the body");
    }
    const std::size_t k = std::min(n, end_ - begin_);
    std::memcpy(dst, buf_.get() + begin_, k);
    begin_ += k;
    return k;
}

std::string ConnectionReader::takeLine(std::size_t limit) {
    for (;;) {
        const std::string_view window(buf_.get() + begin_, end_ - begin_);
        const auto lf = window.find('\n');
        if (lf != std::string_view::npos) {
            std::string line(window.substr(0, lf));
            begin_ += lf + 1;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            return line;
        }
        if (window.size() > limit) throw std::runtime_error("chunk line too long");
        if (!fill()) throw std::runtime_error("client closed the connection inside the body");
    }
}

std::size_t ConnectionReader::readBody(char* dst, std::size_t n) {
    if (n == 0) return 0;
    try {
        for (;;) {
            switch (state_) {
                case Body::Done:
                    return 0;
                case Body::Fixed: {
                    bodyStarted_ = true;
                    const std::size_t got = take(dst, static_cast<std::size_t>(std::min<std::uint64_t>(n, left_)));
                    left_ -= got;
                    if (left_ == 0) state_ = Body::Done;
                    return got;
                }
                case Body::ChunkSize: {
                    bodyStarted_ = true;
                    const std::string line = takeLine(kMaxChunkLine);
                    const std::string_view size = std::string_view(line).substr(0, line.find(';'));
                    std::uint64_t value = 0;
                    std::size_t digits = 0;
                    for (const char c : size) {
                        if (c == ' ' || c == '\t') continue;
                        int d = -1;
                        if (c >= '0' && c <= '9') d = c - '0';
                        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
                        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
                        if (d < 0 || value > (UINT64_MAX >> 4)) throw std::runtime_error("bad chunk size");
                        value = value * 16 + static_cast<std::uint64_t>(d);
                        ++digits;
                    }
                    if (digits == 0) throw std::runtime_error("bad chunk size");
                    left_ = value;
                    state_ = value == 0 ? Body::Trailers : Body::ChunkData;
                    break;
                }
                case Body::ChunkData: {
                    const std::size_t got = take(dst, static_cast<std::size_t>(std::min<std::uint64_t>(n, left_)));
                    left_ -= got;
                    if (left_ == 0) state_ = Body::ChunkDataEnd;
                    return got;
                }
                case Body::ChunkDataEnd:
                    if (!takeLine(2).empty()) throw std::runtime_error("chunk data longer than its size");
                    state_ = Body::ChunkSize;
                    break;
                case Body::Trailers: {
                    // Trailer fields are read and dropped; an empty line ends them.
                    std::size_t total = 0;
                    for (;;) {
                        const std::string line = takeLine(kMaxHead);
                        if (line.empty()) break;
                        total += line.size();
                        if (total > kMaxHead) throw std::runtime_error("trailers too large");
                    }
                    state_ = Body::Done;
                    return 0;
                }
            }
        }
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("reading the request body failed: " + e.displayText());
    }
}

}  // namespace cpa::core
