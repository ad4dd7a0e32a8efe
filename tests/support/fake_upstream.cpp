#include "fake_upstream.hpp"

#include <cpa/sdk/text.hpp>

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <thread>

// A hand-rolled HTTP/1.1 server on raw sockets (not Poco HTTPServer) so that
// delays, hangs and cuts can watch the connection and notice the client
// closing it (abortedByClient), and so events go out one chunk at a time.
namespace cpa::test {
namespace {

using sdk::iequals;
using sdk::trimAscii;

const char* reasonFor(int status) {
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

}  // namespace

std::string UpstreamRequest::header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
        if (iequals(k, name)) return v;
    }
    return {};
}

struct FakeUpstream::Impl {
    Poco::Net::ServerSocket listener;
    std::atomic<bool> stopping{false};
    std::thread acceptThread;
    std::mutex threadsMutex;
    std::list<std::thread> connThreads;

    mutable std::mutex mutex;
    mutable std::condition_variable cv;
    std::deque<UpstreamReply> queue;
    std::function<UpstreamReply(const UpstreamRequest&)> handler;
    std::vector<UpstreamRequest> received;
    std::size_t aborted{0};

    void acceptLoop();
    void serve(Poco::Net::StreamSocket socket);
    UpstreamReply nextReply(const UpstreamRequest& req);
    void countAbort() {
        std::lock_guard lock(mutex);
        ++aborted;
    }
};

namespace {

/// Buffered reads that give up when the server stops.
class Reader {
public:
    Reader(Poco::Net::StreamSocket& s, const std::atomic<bool>& stop) : socket_(s), stop_(stop) {}

    bool fill() {
        char buf[8192];
        while (!stop_) {
            if (!socket_.poll(Poco::Timespan(0, 10000), Poco::Net::Socket::SELECT_READ)) continue;
            int n = 0;
            try {
                n = socket_.receiveBytes(buf, sizeof buf);
            } catch (const Poco::Exception&) {
                return false;
            }
            if (n <= 0) return false;
            data_.append(buf, static_cast<std::size_t>(n));
            return true;
        }
        return false;
    }
    bool line(std::string& out) {
        for (;;) {
            const auto pos = data_.find("\r\n");
            if (pos != std::string::npos) {
                out = data_.substr(0, pos);
                data_.erase(0, pos + 2);
                return true;
            }
            if (data_.size() > 1 << 20 || !fill()) return false;
        }
    }
    bool bytes(std::size_t n, std::string& out) {
        while (data_.size() < n) {
            if (!fill()) return false;
        }
        out.append(data_, 0, n);
        data_.erase(0, n);
        return true;
    }

private:
    Poco::Net::StreamSocket& socket_;
    const std::atomic<bool>& stop_;
    std::string data_;
};

bool readRequest(Reader& r, UpstreamRequest& req) {
    std::string line;
    if (!r.line(line)) return false;
    const auto sp1 = line.find(' ');
    const auto sp2 = line.rfind(' ');
    if (sp1 == std::string::npos || sp2 == sp1) return false;
    req.method = line.substr(0, sp1);
    req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    for (;;) {
        if (!r.line(line)) return false;
        if (line.empty()) break;
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        req.headers.emplace_back(trimAscii(line.substr(0, colon)), trimAscii(line.substr(colon + 1)));
    }
    if (iequals(req.header("Transfer-Encoding"), "chunked")) {
        for (;;) {
            if (!r.line(line)) return false;
            const std::size_t size = std::stoul(line, nullptr, 16);
            if (size == 0) {
                r.line(line);
                break;
            }
            if (!r.bytes(size, req.body) || !r.line(line)) return false;
        }
    } else if (const auto cl = req.header("Content-Length"); !cl.empty()) {
        if (!r.bytes(std::stoul(cl), req.body)) return false;
    }
    return true;
}

/// True once the peer closed (readable with 0 bytes) or the socket broke.
bool peerClosed(Poco::Net::StreamSocket& s) {
    try {
        if (!s.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) return false;
        char c;
        return s.receiveBytes(&c, 1, MSG_PEEK) <= 0;
    } catch (const Poco::Exception&) {
        return true;
    }
}

/// Sleeps `d` in slices; false when the peer went away (or the server stops).
bool waitWatching(Poco::Net::StreamSocket& s, std::chrono::milliseconds d, const std::atomic<bool>& stop) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
        if (stop) return false;
        if (peerClosed(s)) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return !peerClosed(s);
}

bool sendAll(Poco::Net::StreamSocket& s, const std::string& data) {
    try {
        std::size_t off = 0;
        while (off < data.size()) {
            const int n = s.sendBytes(data.data() + off, static_cast<int>(data.size() - off), MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

std::string chunk(const std::string& data) {
    char head[32];
    std::snprintf(head, sizeof head, "%zx\r\n", data.size());
    return head + data + "\r\n";
}

}  // namespace

UpstreamReply FakeUpstream::Impl::nextReply(const UpstreamRequest& req) {
    std::function<UpstreamReply(const UpstreamRequest&)> h;
    {
        std::lock_guard lock(mutex);
        if (!queue.empty()) {
            UpstreamReply r = std::move(queue.front());
            queue.pop_front();
            return r;
        }
        h = handler;
    }
    if (h) return h(req);
    UpstreamReply r;
    r.body = R"({"ok":true})";
    return r;
}

void FakeUpstream::Impl::serve(Poco::Net::StreamSocket socket) {
    socket.setNoDelay(true);
    Reader reader(socket, stopping);
    for (;;) {
        UpstreamRequest req;
        if (!readRequest(reader, req)) return;
        {
            std::lock_guard lock(mutex);
            received.push_back(req);
        }
        cv.notify_all();
        const bool closeAfter = iequals(req.header("Connection"), "close");
        UpstreamReply reply = nextReply(req);

        if (reply.hang) {
            while (!stopping && !peerClosed(socket)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            if (!stopping) countAbort();
            return;
        }
        if (reply.firstByteDelay.count() > 0 && !waitWatching(socket, reply.firstByteDelay, stopping)) {
            if (!stopping) countAbort();
            return;
        }
        const bool sse = !reply.events.empty();
        bool hasType = false;
        for (const auto& [k, v] : reply.headers) hasType = hasType || iequals(k, "Content-Type");
        std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " + reasonFor(reply.status) + "\r\n";
        if (!hasType) head += sse ? "Content-Type: text/event-stream\r\n" : "Content-Type: application/json\r\n";
        for (const auto& [k, v] : reply.headers) head += k + ": " + v + "\r\n";
        if (closeAfter) head += "Connection: close\r\n";

        if (!sse) {
            head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n";
            if (!sendAll(socket, head + reply.body)) return;
            if (closeAfter) return;
            continue;
        }
        head += "Transfer-Encoding: chunked\r\n\r\n";
        if (!sendAll(socket, head)) {
            countAbort();
            return;
        }
        int sent = 0;
        bool aborted = false;
        for (const auto& ev : reply.events) {
            if (reply.cutAfterEvents >= 0 && sent >= reply.cutAfterEvents) break;
            if (sent > 0 && reply.eventDelay.count() > 0 && !waitWatching(socket, reply.eventDelay, stopping)) {
                aborted = true;
                break;
            }
            if (!sendAll(socket, chunk(ev))) {
                aborted = true;
                break;
            }
            ++sent;
        }
        if (aborted) {
            if (!stopping) countAbort();
            return;
        }
        if (reply.cutAfterEvents >= 0 && reply.cutAfterEvents < static_cast<int>(reply.events.size())) {
            socket.shutdown();  // no terminating chunk: the client sees a cut stream
            return;
        }
        if (!sendAll(socket, "0\r\n\r\n") || closeAfter) return;
    }
}

void FakeUpstream::Impl::acceptLoop() {
    while (!stopping) {
        try {
            if (!listener.poll(Poco::Timespan(0, 10000), Poco::Net::Socket::SELECT_READ)) continue;
            Poco::Net::StreamSocket s = listener.acceptConnection();
            std::lock_guard lock(threadsMutex);
            connThreads.emplace_back([this, s]() mutable {
                try {
                    serve(s);
                } catch (const std::exception&) {
                    // a broken test connection only ends that connection
                }
                try {
                    s.close();
                } catch (const Poco::Exception&) {
                }
            });
        } catch (const Poco::Exception&) {
            // keep accepting
        }
    }
}

FakeUpstream::FakeUpstream() : impl_(std::make_unique<Impl>()) {
    impl_->listener.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
    impl_->listener.listen(128);
    impl_->acceptThread = std::thread([this] { impl_->acceptLoop(); });
}

FakeUpstream::~FakeUpstream() {
    impl_->stopping = true;
    impl_->acceptThread.join();
    std::lock_guard lock(impl_->threadsMutex);
    for (auto& t : impl_->connThreads) t.join();
}

int FakeUpstream::port() const { return impl_->listener.address().port(); }

std::string FakeUpstream::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port()); }

void FakeUpstream::enqueue(UpstreamReply reply) {
    std::lock_guard lock(impl_->mutex);
    impl_->queue.push_back(std::move(reply));
}

void FakeUpstream::setHandler(std::function<UpstreamReply(const UpstreamRequest&)> handler) {
    std::lock_guard lock(impl_->mutex);
    impl_->handler = std::move(handler);
}

std::vector<UpstreamRequest> FakeUpstream::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->received;
}

std::size_t FakeUpstream::requestCount() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->received.size();
}

std::size_t FakeUpstream::abortedByClient() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->aborted;
}

std::size_t FakeUpstream::waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    impl_->cv.wait_for(lock, timeout, [&] { return impl_->received.size() >= n; });
    return impl_->received.size();
}

}  // namespace cpa::test
