// Small load clients for bench/proxy-bench.sh (raw sockets, epoll, no Poco, so
// that the client's own cost is small and identical for every server).
//   latency <port> <n>                 n sequential non-stream POSTs on one
//                                      keep-alive connection → p50/p90/p99 µs
//   streams <port> <total> <parallel>  total SSE requests, at most `parallel`
//                                      open at once → complete streams (all 22
//                                      data events incl. [DONE]), first-event
//                                      latency; prints "all-open" (stdout,
//                                      flushed) the moment `parallel` streams
//                                      have each received their first event,
//                                      then "all-open-end" when the first of
//                                      them ends (the window they were all open).
//   streams <port> <total> <parallel> keepalive
//                                      the same, each connection carrying
//                                      streams one after another (as SDK
//                                      clients reuse connections) instead of
//                                      one stream per connection.
// Environment (bench/translation-bench.sh): CPA_BENCH_CLIENT=claude posts a
// Messages body to /v1/messages instead of chat; CPA_BENCH_MODEL names the
// model (bench-model); a stream is complete when it holds at least
// CPA_BENCH_MIN_EVENTS data events (22) and CPA_BENCH_TERMINATOR
// ("data: [DONE]"). CPA_BENCH_MAX_PENDING (streams mode) caps the connections
// opened but still without their first event (default 0: no cap).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "response_framing.hpp"

namespace {

using Clock = std::chrono::steady_clock;

const char* kKey = "bench-key";

std::string envOr(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

std::string post(bool stream, bool keepAlive = false) {
    const bool claude = envOr("CPA_BENCH_CLIENT", "openai") == "claude";
    const std::string body = R"({"model":")" + envOr("CPA_BENCH_MODEL", "bench-model") + "\"," +
                             (stream ? R"("stream":true,)" : "") + (claude ? R"("max_tokens":64,)" : "") +
                             R"("messages":[{"role":"user","content":"hi"}]})";
    return "POST " + std::string(claude ? "/v1/messages" : "/v1/chat/completions") +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + std::string(kKey) +
           "\r\nContent-Type: application/json\r\n" + (stream && !keepAlive ? "Connection: close\r\n" : "") +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

int connectTo(int port, bool blocking) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!blocking) ::fcntl(fd, F_SETFL, O_NONBLOCK);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 && errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sendAll(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

/// Reads one whole response (Content-Length or chunked) from a blocking socket.
bool readResponse(int fd, std::string& buf, int& status) {
    char tmp[16384];
    bool close = false;
    long len;
    while ((len = cpa::bench::responseLength(buf, status, close)) == 0) {
        const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf.append(tmp, static_cast<std::size_t>(n));
    }
    if (len < 0) return false;
    buf.erase(0, static_cast<std::size_t>(len));
    return true;
}

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

int latency(int port, int n) {
    const int fd = connectTo(port, true);
    if (fd < 0) return 1;
    const std::string req = post(false);
    std::string buf;
    std::vector<double> us;
    int ok = 0;
    for (int i = 0; i < n + 200; ++i) {  // 200 warm-up requests
        const auto t0 = Clock::now();
        int status = 0;
        if (!sendAll(fd, req) || !readResponse(fd, buf, status)) break;
        const double d = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
        if (i >= 200) {
            us.push_back(d);
            ok += status == 200;
        }
    }
    ::close(fd);
    std::printf("p50_us=%.0f p90_us=%.0f p99_us=%.0f ok=%d\n", pct(us, 0.5), pct(us, 0.9), pct(us, 0.99), ok);
    return ok == n ? 0 : 1;
}

struct Stream {
    int fd{-1};
    bool sent{};
    bool ended{};   ///< keep-alive: the chunked end marker arrived
    bool counted{}; ///< counted in `live` (first event received, still open)
    Clock::time_point start;
    double firstMs{-1};
    std::string data;
};

int countEvents(const std::string& s) {
    int n = 0;
    for (std::size_t p = s.find("data: "); p != std::string::npos; p = s.find("data: ", p + 6)) ++n;
    return n;
}

// epoll, level-triggered, one slot per connection: each pass costs what is
// ready, not what is open, so thousands of open streams stay cheap.
int streams(int port, int total, int parallel, bool keepAlive) {
    const std::string req = post(true, keepAlive);
    const int minEvents = std::atoi(envOr("CPA_BENCH_MIN_EVENTS", "22").c_str());
    const std::string terminator = envOr("CPA_BENCH_TERMINATOR", "data: [DONE]");
    // At most this many connections opened and still waiting for their first
    // event (0 = no cap): the ramp then follows the server instead of flooding
    // its listen backlog (bench/streams-bench.sh opens thousands).
    const int maxPending = std::atoi(envOr("CPA_BENCH_MAX_PENDING", "0").c_str());
    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        std::perror("epoll_create1");
        return 1;
    }
    std::vector<Stream> slots;
    std::vector<std::size_t> freeSlots;
    std::vector<double> first;
    int started = 0, complete = 0, failed = 0, maxLive = 0, live = 0, pending = 0, openCount = 0;
    int connectErrors = 0, lastConnectErrno = 0, connectErrorsAt = -1;
    bool announced = false, endAnnounced = false;
    const auto t0 = Clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    auto ctl = [&](int op, std::size_t slot, std::uint32_t events) {
        epoll_event ev{};
        ev.events = events;
        ev.data.u64 = slot;
        return ::epoll_ctl(ep, op, slots[slot].fd, &ev);
    };
    auto finish = [&](std::size_t slot) {
        Stream& s = slots[slot];
        const bool ok = countEvents(s.data) >= minEvents && s.data.find(terminator) != std::string::npos &&
                        s.data.rfind("HTTP/1.1 200", 0) == 0;
        complete += ok;
        failed += !ok;
        if (s.firstMs >= 0) first.push_back(s.firstMs);
        else --pending;
        if (s.counted) --live;
        if (!ok && failed <= 3) std::fprintf(stderr, "incomplete stream: %.300s\n", s.data.c_str());
        if (announced && !endAnnounced) {  // the first stream to end after all were open
            endAnnounced = true;
            std::printf("all-open-end %d at_s=%.2f\n", live, seconds());
            std::fflush(stdout);
        }
        if (s.fd >= 0 && ok && keepAlive && started < total) {  // the next stream on this connection
            const int fd = s.fd;
            s = Stream{};
            s.fd = fd;
            s.start = Clock::now();
            ++started;
            ++pending;
            ctl(EPOLL_CTL_MOD, slot, EPOLLOUT);
            return;
        }
        if (s.fd >= 0) ::close(s.fd);  // also leaves the epoll set
        s = Stream{};
        freeSlots.push_back(slot);
        --openCount;
    };
    std::vector<epoll_event> evs(1024);
    while (started < total || openCount > 0) {
        // Ramp: at most 64 new connections per pass (and maxPending waiting), so a listen backlog never overflows.
        for (int k = 0; k < 64 && started < total && openCount < parallel && (maxPending <= 0 || pending < maxPending);
             ++k, ++started) {
            const int fd = connectTo(port, false);
            if (fd < 0) {
                ++failed;
                if (connectErrors++ == 0) connectErrorsAt = openCount;
                lastConnectErrno = errno;
                continue;
            }
            std::size_t slot;
            if (freeSlots.empty()) {
                slot = slots.size();
                slots.emplace_back();
            } else {
                slot = freeSlots.back();
                freeSlots.pop_back();
            }
            slots[slot].fd = fd;
            slots[slot].start = Clock::now();
            ctl(EPOLL_CTL_ADD, slot, EPOLLOUT);
            ++openCount;
            ++pending;
        }
        const int n = ::epoll_wait(ep, evs.data(), static_cast<int>(evs.size()), 1000);
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < n; ++i) {
            const std::size_t slot = evs[i].data.u64;
            Stream& s = slots[slot];
            if (s.fd < 0) continue;
            bool done = false;
            if (!s.sent) {
                if (evs[i].events & (EPOLLERR | EPOLLHUP)) {
                    int err = 0;
                    socklen_t len = sizeof err;
                    ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len);
                    s.data = std::string("connect failed: ") + std::strerror(err);
                    done = true;
                } else if (evs[i].events & EPOLLOUT) {
                    s.sent = sendAll(s.fd, req);  // small: fits the socket buffer
                    if (!s.sent) {
                        s.data = std::string("send failed: ") + std::strerror(errno);
                        done = true;
                    } else {
                        ctl(EPOLL_CTL_MOD, slot, EPOLLIN);
                    }
                }
            } else if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                char tmp[16384];
                const ssize_t r = ::recv(s.fd, tmp, sizeof tmp, 0);
                if (r > 0) {
                    s.data.append(tmp, static_cast<std::size_t>(r));
                    if (s.firstMs < 0 && s.data.find("data: ") != std::string::npos) {
                        s.firstMs = std::chrono::duration<double, std::milli>(Clock::now() - s.start).count();
                        --pending;
                    }
                    int status = 0;
                    bool close = false;
                    s.ended = keepAlive && cpa::bench::responseLength(s.data, status, close) > 0;
                    done = s.ended;
                } else if (r == 0 || errno != EAGAIN) {
                    if (r < 0 && s.data.find(terminator) == std::string::npos)
                        s.data += std::string(" [recv: ") + std::strerror(errno) + "]";
                    ::close(s.fd);
                    s.fd = -1;
                    done = true;
                }
            }
            if (!s.counted && s.firstMs >= 0 && s.fd >= 0 && !s.ended) {
                s.counted = true;
                ++live;
            }
            if (done) finish(slot);
        }
        maxLive = std::max(maxLive, live);
        if (!announced && live >= std::min(parallel, total)) {
            announced = true;
            std::printf("all-open %d ramp_s=%.2f\n", live, seconds());
            std::fflush(stdout);
        }
    }
    ::close(ep);
    if (connectErrors > 0)
        std::fprintf(stderr, "%d connects failed (first with %d open, last: %s)\n", connectErrors, connectErrorsAt,
                     std::strerror(lastConnectErrno));
    std::printf("streams=%d complete=%d failed=%d first_p50_ms=%.3f first_p90_ms=%.3f max_open=%d elapsed_s=%.2f\n",
                total, complete, failed, pct(first, 0.5), pct(first, 0.9), maxLive, seconds());
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 4 && std::strcmp(argv[1], "latency") == 0) return latency(std::atoi(argv[2]), std::atoi(argv[3]));
    if (argc >= 5 && std::strcmp(argv[1], "streams") == 0)
        return streams(std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]),
                       argc >= 6 && std::strcmp(argv[5], "keepalive") == 0);
    std::fprintf(stderr,
                 "usage: cpa_bench_client latency <port> <n> | streams <port> <total> <parallel> [keepalive]\n");
    return 2;
}
