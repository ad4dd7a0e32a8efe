#include "http/server_response.hpp"

#include "http/http_date.hpp"
#include "http/server_request.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <stdexcept>

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

namespace cpa::core {

namespace {

/// "<hex size>\r\n" into `out` (≥ 18 bytes): a chunk header per streamed
/// event, so no printf machinery on that path.
std::size_t chunkSizeLine(std::size_t size, char* out) {
    char* end = std::to_chars(out, out + 16, size, 16).ptr;  // 16 hex digits hold any size_t
    *end++ = '\r';
    *end++ = '\n';
    return static_cast<std::size_t>(end - out);
}

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

iovec part(std::string_view s) { return {const_cast<char*>(s.data()), s.size()}; }

// Framing headers belong to the server, never to a handler.
bool framingHeader(std::string_view name) {
    return headerNameEquals(name, "Content-Length") || headerNameEquals(name, "Transfer-Encoding") ||
           headerNameEquals(name, "Connection");
}

}  // namespace

ServerResponse::ServerResponse(Poco::Net::StreamSocket& socket, ResponseFrame frame)
    : socket_(socket), frame_(frame), close_(!frame.keepAlive) {
    headers_.reserve(8);
}

void ServerResponse::setStatus(int status) {
    if (streaming_) return;
    if (status < 100 || status > 999) throw std::invalid_argument("invalid HTTP status " + std::to_string(status));
    status_ = status;
}

void ServerResponse::setHeader(std::string_view name, std::string_view value) {
    if (streaming_) return;
    auto it = std::find_if(headers_.begin(), headers_.end(),
                           [name](const sdk::Header& h) { return headerNameEquals(h.first, name); });
    if (it == headers_.end()) {
        headers_.emplace_back(std::string(name), std::string(value));
        return;
    }
    it->second.assign(value);
    // Replace means one value: drop later duplicates added with addHeader.
    headers_.erase(std::remove_if(std::next(it), headers_.end(),
                                  [name](const sdk::Header& h) { return headerNameEquals(h.first, name); }),
                   headers_.end());
}

void ServerResponse::addHeader(std::string_view name, std::string_view value) {
    if (streaming_) return;
    headers_.emplace_back(std::string(name), std::string(value));
}

std::optional<std::string> ServerResponse::header(std::string_view name) const {
    for (const auto& [k, v] : headers_)
        if (headerNameEquals(k, name)) return v;
    return std::nullopt;
}

void ServerResponse::setBody(std::string body, std::string_view contentType) {
    if (streaming_) return;
    body_ = std::move(body);
    if (!contentType.empty()) setHeader("Content-Type", contentType);
}

void ServerResponse::reset(const std::vector<std::string>& keep) {
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

bool ServerResponse::clientGone() const {
    if (gone_) return true;
    pollfd p{};
    p.fd = socket_.impl()->sockfd();
    p.events = POLLRDHUP;
    // Bytes of a pipelined next request (POLLIN) are not a hang-up.
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

bool ServerResponse::bodyAllowed() const { return !frame_.head && !bodyless(status_); }

std::string ServerResponse::renderHead(std::string_view framing, std::size_t reserveBody) const {
    std::string wire;
    wire.reserve(384 + reserveBody);
    auto header = [&wire](std::string_view name, std::string_view value) {
        wire += name;
        wire += ": ";
        wire += value;
        wire += "\r\n";
    };
    wire += frame_.http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    char status[8];
    const auto [end, ec] = std::to_chars(status, status + sizeof status - 1, status_);
    if (ec == std::errc()) wire.append(status, end);
    wire += ' ';
    wire += Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status_));
    wire += "\r\n";
    header("Date", httpDateNow());
    header("Connection", close_ ? "Close" : "Keep-Alive");
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
    if (!framing.empty()) {
        wire += framing;
        wire += "\r\n";
    }
    wire += "\r\n";
    return wire;
}

// Throws when the socket fails.
void ServerResponse::sendDirect() {
    const bool withBody = bodyAllowed() && !body_.empty();
    // Large bodies go in a second send rather than being copied.
    constexpr std::size_t kCopyLimit = 64 * 1024;
    const bool inline_ = withBody && body_.size() <= kCopyLimit;
    std::string framing;
    if (!bodyless(status_)) framing = "Content-Length: " + std::to_string(body_.size());
    std::string wire = renderHead(framing, inline_ ? body_.size() : 0);
    if (inline_) wire += body_;
    iovec parts[2] = {part(wire), part(withBody && !inline_ ? std::string_view(body_) : std::string_view())};
    firstByte_ = std::chrono::steady_clock::now();
    if (!sendAllParts(socket_.impl()->sockfd(), parts, 2)) throw std::runtime_error("send failed");
    if (withBody) bytesWritten_ = body_.size();
}

sdk::StreamWriter& ServerResponse::stream() {
    if (streaming_) return writer_;
    if (sent_) throw std::logic_error("response already sent");
    streaming_ = true;
    if (streamGauge_) {
        streamGauge_->fetch_add(1, std::memory_order_relaxed);
        streamCounted_ = true;
    }
    std::string_view framing;
    if (frame_.http10) {
        close_ = true;  // no chunked encoding: the body ends with the connection
    } else if (bodyAllowed()) {
        chunked_ = true;
        framing = "Transfer-Encoding: chunked";
    }
    // Sent with the first bytes (one send, and one wake-up of the client, less per stream).
    headPending_ = renderHead(framing, 0);
    return writer_;
}

bool ServerResponse::emit(std::string_view chunk, bool last) {
    static constexpr std::string_view kCrLf = "\r\n";
    static constexpr std::string_view kEnd = "0\r\n\r\n";
    // The head if still pending, up to two chunks (the gathered bytes, then
    // the large write as a chunk of its own) and the end marker, in one system call.
    iovec parts[8];
    int count = 0;
    if (!headPending_.empty()) parts[count++] = part(headPending_);
    char sizeLines[2][24];
    int chunks = 0;
    std::size_t total = 0;
    for (const std::string_view data : {std::string_view(pending_), chunk}) {
        if (data.empty()) continue;
        if (chunked_) {
            char* line = sizeLines[chunks++];
            parts[count++] = {line, chunkSizeLine(data.size(), line)};
            parts[count++] = part(data);
            parts[count++] = part(kCrLf);
        } else {
            parts[count++] = part(data);
        }
        total += data.size();
    }
    if (chunked_ && last) parts[count++] = part(kEnd);
    if (count == 0) return true;
    if (!firstByte_) firstByte_ = std::chrono::steady_clock::now();
    if (!sendAllParts(socket_.impl()->sockfd(), parts, count)) {
        gone_ = true;
        return false;
    }
    bytesWritten_ += total;
    pending_.clear();
    headPending_.clear();
    return true;
}

bool ServerResponse::writeChunk(std::string_view chunk) {
    if (gone_ || !streaming_ || sent_) return false;
    // An empty write would end a chunked body early; HEAD (and 1xx/204/304)
    // responses carry no body at all.
    if (chunk.empty() || !bodyAllowed()) return true;
    if (pending_.size() + chunk.size() >= kDirectChunk) return emit(chunk, false);
    pending_.append(chunk);
    return true;
}

bool ServerResponse::flushStream() {
    if (gone_ || !streaming_ || sent_) return false;
    if (pending_.empty() && headPending_.empty()) return true;
    return emit({}, false);
}

bool ResponseStreamWriter::write(std::string_view chunk) { return owner_.writeChunk(chunk); }
bool ResponseStreamWriter::flush() { return owner_.flushStream(); }

ServerResponse::~ServerResponse() {
    if (streamCounted_) streamGauge_->fetch_sub(1, std::memory_order_relaxed);
}

bool ServerResponse::send() noexcept {
    if (sent_) return !gone_;
    sent_ = true;
    if (streaming_) {
        if (gone_) return false;
        return emit({}, true);
    }
    try {
        sendDirect();
    } catch (...) {
        gone_ = true;
    }
    return !gone_;
}

}  // namespace cpa::core
