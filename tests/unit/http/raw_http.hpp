#pragma once
// A byte-level HTTP client for wire tests: what the server writes is read
// as-is from a real socket, so framing mistakes (a missing CRLF, a wrong
// Content-Length, stray bytes after a body) are visible.
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cpa::core::test {

struct RawHead {
    std::string statusLine;
    std::vector<std::pair<std::string, std::string>> headers;  // in wire order, names as sent
    std::string text;                                          // the head as received, final CRLFCRLF included

    /// The value of the only header `name` (exact case); "<absent>" or "<repeated>".
    std::string get(const std::string& name) const {
        std::string found = "<absent>";
        for (const auto& [k, v] : headers) {
            if (k != name) continue;
            if (found != "<absent>") return "<repeated>";
            found = v;
        }
        return found;
    }
};

class RawConnection {
public:
    explicit RawConnection(std::uint16_t port, int timeoutSeconds = 5)
        : socket_(Poco::Net::SocketAddress("127.0.0.1", port)) {
        socket_.setReceiveTimeout(Poco::Timespan(timeoutSeconds, 0));
    }

    void send(const std::string& bytes) { socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size())); }

    /// The status line and headers, up to and including the blank line.
    RawHead readHead() {
        const std::string text = readUntil("\r\n\r\n");
        RawHead head;
        head.text = text;
        std::size_t pos = text.find("\r\n");
        head.statusLine = text.substr(0, pos);
        pos += 2;
        while (pos < text.size() - 2) {
            const std::size_t end = text.find("\r\n", pos);
            const std::string line = text.substr(pos, end - pos);
            const std::size_t colon = line.find(": ");
            if (colon == std::string::npos) throw std::runtime_error("malformed header line: " + line);
            head.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
            pos = end + 2;
        }
        return head;
    }

    /// Everything up to and including `delim`; throws if the peer closes first.
    std::string readUntil(const std::string& delim) {
        while (true) {
            const std::size_t at = buffer_.find(delim);
            if (at != std::string::npos) return take(at + delim.size());
            if (!fill()) throw std::runtime_error("connection closed before \"" + delim + "\"; got: " + buffer_);
        }
    }

    /// Exactly `n` bytes; throws if the peer closes first.
    std::string readExactly(std::size_t n) {
        while (buffer_.size() < n)
            if (!fill()) throw std::runtime_error("connection closed after " + std::to_string(buffer_.size()) + " bytes");
        return take(n);
    }

    /// Decodes a chunked body (after the head); the chunk sizes are kept too.
    std::string readChunkedBody(std::vector<std::size_t>* sizes = nullptr) {
        std::string body;
        while (true) {
            std::string line = readUntil("\r\n");
            line.resize(line.size() - 2);
            std::size_t used = 0;
            const std::size_t size = std::stoul(line, &used, 16);
            if (used != line.size()) throw std::runtime_error("bad chunk size line: " + line);
            if (sizes != nullptr) sizes->push_back(size);
            if (size == 0) {
                if (readExactly(2) != "\r\n") throw std::runtime_error("trailer after the last chunk");
                return body;
            }
            body += readExactly(size);
            if (readExactly(2) != "\r\n") throw std::runtime_error("chunk not followed by CRLF");
        }
    }

    /// What arrives until the peer closes (an orderly close or a reset).
    std::string readToClose() {
        while (fill()) {
        }
        return take(buffer_.size());
    }

    /// True when the peer has closed and sent nothing more (waits up to the receive timeout).
    bool peerClosed() {
        if (!buffer_.empty()) return false;
        return !fill();
    }

    Poco::Net::StreamSocket& socket() { return socket_; }

private:
    bool fill() {
        char buf[65536];
        int n = 0;
        try {
            n = socket_.receiveBytes(buf, sizeof buf);
        } catch (const Poco::TimeoutException&) {
            throw;  // the server neither answered nor closed: a failure, not a close
        } catch (const Poco::Exception&) {
            return false;  // reset
        }
        if (n <= 0) return false;
        buffer_.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    std::string take(std::size_t n) {
        std::string out = buffer_.substr(0, n);
        buffer_.erase(0, n);
        return out;
    }

    Poco::Net::StreamSocket socket_;
    std::string buffer_;
};

}  // namespace cpa::core::test
