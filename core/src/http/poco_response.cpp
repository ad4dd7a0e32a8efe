#include "http/poco_response.hpp"

#include "http/poco_request.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include <sys/socket.h>
#include <sys/uio.h>

namespace cpa::core {

namespace {

bool bodyless(int status) { return status < 200 || status == 204 || status == 304; }

// Writes every byte of `parts` (blocking socket); false when the peer is gone.
bool sendAllParts(int fd, iovec* parts, int count) {
    while (count > 0) {
        msghdr msg{};
        msg.msg_iov = parts;
        msg.msg_iovlen = static_cast<std::size_t>(count);
        const ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        auto left = static_cast<std::size_t>(n);
        while (count > 0 && left >= parts->iov_len) {
            left -= parts->iov_len;
            ++parts;
            --count;
        }
        if (count > 0) {
            parts->iov_base = static_cast<char*>(parts->iov_base) + left;
            parts->iov_len -= left;
        }
    }
    return true;
}

// Framing headers belong to the server, never to a handler.
bool framingHeader(std::string_view name) {
    return headerNameEquals(name, "Content-Length") || headerNameEquals(name, "Transfer-Encoding") ||
           headerNameEquals(name, "Connection");
}

}  // namespace

PocoResponse::PocoResponse(Poco::Net::HTTPServerResponse& res, bool headRequest, bool http10,
                           Poco::Net::StreamSocket* socket)
    : res_(res), socket_(socket), head_(headRequest), http10_(http10) {}

void PocoResponse::closeAfter() noexcept {
    close_ = true;
    try {
        // Poco decides about the next request from this flag after the handler.
        res_.setKeepAlive(false);
    } catch (...) {
    }
}

void PocoResponse::setStatus(int status) {
    if (streaming_) return;
    if (status < 100 || status > 999) throw std::invalid_argument("invalid HTTP status " + std::to_string(status));
    status_ = status;
}

void PocoResponse::setHeader(std::string_view name, std::string_view value) {
    if (streaming_) return;
    auto it = std::find_if(headers_.begin(), headers_.end(),
                           [name](const sdk::Header& h) { return headerNameEquals(h.first, name); });
    if (it == headers_.end()) {
        headers_.emplace_back(std::string(name), std::string(value));
        return;
    }
    it->second = std::string(value);
    // Replace means one value: drop later duplicates added with addHeader.
    headers_.erase(std::remove_if(std::next(it), headers_.end(),
                                  [name](const sdk::Header& h) { return headerNameEquals(h.first, name); }),
                   headers_.end());
}

void PocoResponse::addHeader(std::string_view name, std::string_view value) {
    if (streaming_) return;
    headers_.emplace_back(std::string(name), std::string(value));
}

std::optional<std::string> PocoResponse::header(std::string_view name) const {
    for (const auto& [k, v] : headers_)
        if (headerNameEquals(k, name)) return v;
    return std::nullopt;
}

void PocoResponse::setBody(std::string body, std::string_view contentType) {
    if (streaming_) return;
    body_ = std::move(body);
    if (!contentType.empty()) setHeader("Content-Type", contentType);
}

void PocoResponse::reset(const std::vector<std::string>& keep) {
    if (streaming_) return;
    status_ = 200;
    body_.clear();
    headers_.erase(std::remove_if(headers_.begin(), headers_.end(),
                                  [&keep](const sdk::Header& h) {
                                      return std::none_of(keep.begin(), keep.end(), [&h](const std::string& k) {
                                          return headerNameEquals(h.first, k);
                                      });
                                  }),
                   headers_.end());
}

void PocoResponse::commitHeaders() {
    res_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status_));
    for (const auto& [name, value] : headers_) {
        if (framingHeader(name)) continue;
        if (headerNameEquals(name, "Content-Type")) {
            res_.setContentType(value);
        } else {
            res_.add(name, value);
        }
    }
    if (close_) res_.setKeepAlive(false);
}

sdk::StreamWriter& PocoResponse::stream() {
    if (streaming_) return writer_;
    if (sent_) throw std::logic_error("response already sent");
    streaming_ = true;
    commitHeaders();
    if (http10_) {
        res_.setKeepAlive(false);  // no chunked encoding: the body ends with the connection
    } else if (!head_ && !bodyless(status_)) {
        res_.setChunkedTransferEncoding(true);
    }
    try {
        out_ = &res_.send();
        out_->flush();  // the client sees the status and headers now
        if (!out_->good()) gone_ = true;
    } catch (...) {
        gone_ = true;
    }
    return writer_;
}

bool PocoResponse::writeChunk(std::string_view chunk) {
    if (gone_ || out_ == nullptr) return false;
    // An empty write would end a chunked body early.
    if (chunk.empty()) return true;
    // No body goes with a HEAD (or 1xx/204/304) response: Poco's stream for
    // it holds the head only and fails on more, which used to report the
    // client as gone and close a connection announced as keep-alive.
    if (head_ || bodyless(status_)) return true;
    if (socket_ != nullptr && chunk.size() >= kDirectChunk) return writeDirect(chunk);
    try {
        out_->write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        if (!out_->good()) gone_ = true;
        else bytesWritten_ += chunk.size();
    } catch (...) {
        gone_ = true;
    }
    return !gone_;
}

bool PocoResponse::flushStream() {
    if (gone_ || out_ == nullptr) return false;
    try {
        out_->flush();
        if (!out_->good()) gone_ = true;
    } catch (...) {
        gone_ = true;
    }
    return !gone_;
}

// The bytes commitHeaders() + Poco's send() would produce: the status line,
// the headers Poco set before the handler (Date, Connection, ...), the
// handler's headers in order, Content-Length, a blank line; then the body.
// Throws when the socket fails.
void PocoResponse::sendDirect() {
    if (close_) res_.setKeepAlive(false);
    res_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status_));
    const bool withBody = !head_ && !bodyless(status_) && !body_.empty();
    // Large bodies go in a second send rather than being copied.
    constexpr std::size_t kCopyLimit = 64 * 1024;
    const bool inline_ = withBody && body_.size() <= kCopyLimit;
    std::string wire;
    wire.reserve(512 + (inline_ ? body_.size() : 0));
    auto header = [&wire](std::string_view name, std::string_view value) {
        wire += name;
        wire += ": ";
        wire += value;
        wire += "\r\n";
    };
    wire += res_.getVersion();
    wire += ' ';
    wire += std::to_string(status_);
    wire += ' ';
    wire += res_.getReason();
    wire += "\r\n";
    for (const auto& [name, value] : res_) header(name, value);
    // Poco's setContentType keeps one Content-Type, at the first one's place,
    // with the last value.
    std::string_view contentType;
    for (const auto& [name, value] : headers_)
        if (headerNameEquals(name, "Content-Type")) contentType = value;
    bool contentTypeDone = false;
    for (const auto& [name, value] : headers_) {
        if (framingHeader(name)) continue;
        if (headerNameEquals(name, "Content-Type")) {
            if (!contentTypeDone) header("Content-Type", contentType);
            contentTypeDone = true;
            continue;
        }
        header(name, value);
    }
    if (!bodyless(status_)) header("Content-Length", std::to_string(body_.size()));
    wire += "\r\n";
    if (inline_) wire += body_;
    // StreamSocket::sendBytes loops until everything is out on a blocking socket.
    auto sendAll = [this](const char* data, std::size_t size) {
        while (size > 0) {
            const int chunk = static_cast<int>(std::min<std::size_t>(size, 1u << 30));
            const int n = socket_->sendBytes(data, chunk);
            if (n <= 0) throw std::runtime_error("send failed");
            data += n;
            size -= static_cast<std::size_t>(n);
        }
    };
    sendAll(wire.data(), wire.size());
    if (withBody && !inline_) sendAll(body_.data(), body_.size());
    if (withBody) bytesWritten_ = body_.size();
}

// Poco's chunked stream cuts every write into 4 KiB chunks, each copied and
// sent on its own (a 250 MB body: 60 000 sends). A large write goes out as
// one chunk in one sendmsg instead, after Poco's buffer has been flushed so
// the bytes stay in order; Poco still writes the final "0\r\n\r\n".
bool PocoResponse::writeDirect(std::string_view chunk) {
    try {
        out_->flush();
        if (!out_->good()) {
            gone_ = true;
            return false;
        }
        char head[24];
        std::size_t headLen = 0;
        if (!http10_) {
            const int n = std::snprintf(head, sizeof head, "%zx\r\n", chunk.size());
            headLen = static_cast<std::size_t>(n);
        }
        static constexpr char kCrLf[] = "\r\n";
        iovec parts[3] = {{head, headLen},
                          {const_cast<char*>(chunk.data()), chunk.size()},
                          {const_cast<char*>(kCrLf), http10_ ? 0u : 2u}};
        if (!sendAllParts(socket_->impl()->sockfd(), parts, 3)) {
            gone_ = true;
            return false;
        }
        bytesWritten_ += chunk.size();
        return true;
    } catch (...) {
        gone_ = true;
        return false;
    }
}

bool PocoStreamWriter::write(std::string_view chunk) { return owner_.writeChunk(chunk); }
bool PocoStreamWriter::flush() { return owner_.flushStream(); }

bool PocoResponse::send() noexcept {
    if (sent_) return !gone_;
    sent_ = true;
    if (streaming_) return flushStream();
    try {
        if (socket_ != nullptr) {
            sendDirect();
            return true;
        }
        commitHeaders();
        if (!bodyless(status_)) res_.setContentLength64(static_cast<Poco::Int64>(body_.size()));
        std::ostream& out = res_.send();
        if (!head_ && !bodyless(status_) && !body_.empty()) {
            out.write(body_.data(), static_cast<std::streamsize>(body_.size()));
            bytesWritten_ = body_.size();
        }
        out.flush();
        if (!out.good()) gone_ = true;
    } catch (...) {
        gone_ = true;
    }
    return !gone_;
}

}  // namespace cpa::core
