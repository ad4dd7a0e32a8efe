// Small load clients for bench/proxy-bench.sh (raw sockets, poll, no Poco, so
// that the client's own cost is small and identical for every server).
//   latency <port> <n>                 n sequential non-stream POSTs on one
//                                      keep-alive connection → p50/p90/p99 µs
//   streams <port> <total> <parallel>  total SSE requests, at most `parallel`
//                                      open at once → complete streams (all 22
//                                      data events incl. [DONE]), first-event
//                                      latency; prints "all-open" (stdout,
//                                      flushed) the moment `parallel` streams
//                                      have each received their first event.
//   streams <port> <total> <parallel> keepalive
//                                      the same, each connection carrying
//                                      streams one after another (as SDK
//                                      clients reuse connections) instead of
//                                      one stream per connection.
// Environment (bench/translation-bench.sh): CPA_BENCH_CLIENT=claude posts a
// Messages body to /v1/messages instead of chat; CPA_BENCH_MODEL names the
// model (bench-model); a stream is complete when it holds at least
// CPA_BENCH_MIN_EVENTS data events (22) and CPA_BENCH_TERMINATOR
// ("data: [DONE]").
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
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
    bool ended{};  ///< keep-alive: the chunked end marker arrived
    Clock::time_point start;
    double firstMs{-1};
    std::string data;
};

int countEvents(const std::string& s) {
    int n = 0;
    for (std::size_t p = s.find("data: "); p != std::string::npos; p = s.find("data: ", p + 6)) ++n;
    return n;
}

int streams(int port, int total, int parallel, bool keepAlive) {
    const std::string req = post(true, keepAlive);
    const int minEvents = std::atoi(envOr("CPA_BENCH_MIN_EVENTS", "22").c_str());
    const std::string terminator = envOr("CPA_BENCH_TERMINATOR", "data: [DONE]");
    std::vector<Stream> open;
    std::vector<double> first;
    int started = 0, complete = 0, failed = 0, maxLive = 0;
    bool announced = false;
    const auto t0 = Clock::now();
    std::vector<pollfd> fds;
    while (started < total || !open.empty()) {
        // Ramp: at most 64 new connections per pass, so a listen backlog never overflows.
        for (int k = 0; k < 64 && started < total && static_cast<int>(open.size()) < parallel; ++k, ++started) {
            Stream s;
            s.fd = connectTo(port, false);
            if (s.fd < 0) {
                ++failed;
                continue;
            }
            s.start = Clock::now();
            open.push_back(std::move(s));
        }
        fds.clear();
        for (const auto& s : open) fds.push_back({s.fd, static_cast<short>(s.sent ? POLLIN : POLLOUT), 0});
        if (::poll(fds.data(), fds.size(), 1000) < 0) break;
        int live = 0;
        for (std::size_t i = 0; i < open.size(); ++i) {
            Stream& s = open[i];
            if (fds[i].revents & POLLOUT && !s.sent) {
                s.sent = sendAll(s.fd, req);  // small: fits the socket buffer
                if (!s.sent) s.data = "send failed";
            } else if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                char tmp[16384];
                const ssize_t n = ::recv(s.fd, tmp, sizeof tmp, 0);
                if (n > 0) {
                    s.data.append(tmp, static_cast<std::size_t>(n));
                    if (s.firstMs < 0 && s.data.find("data: ") != std::string::npos)
                        s.firstMs = std::chrono::duration<double, std::milli>(Clock::now() - s.start).count();
                    int status = 0;
                    bool close = false;
                    s.ended = keepAlive && cpa::bench::responseLength(s.data, status, close) > 0;
                } else {
                    ::close(s.fd);
                    s.fd = -1;
                }
            }
            if (s.firstMs >= 0 && s.fd >= 0 && !s.ended) ++live;
        }
        maxLive = std::max(maxLive, live);
        if (!announced && live >= std::min(parallel, total)) {
            announced = true;
            std::printf("all-open %d\n", live);
            std::fflush(stdout);
        }
        std::vector<Stream> keep;
        for (auto& s : open) {
            if (s.fd >= 0 && !s.ended) {
                keep.push_back(std::move(s));
                continue;
            }
            const bool ok = countEvents(s.data) >= minEvents && s.data.find(terminator) != std::string::npos &&
                            s.data.rfind("HTTP/1.1 200", 0) == 0;
            complete += ok;
            failed += !ok;
            if (s.firstMs >= 0) first.push_back(s.firstMs);
            if (!ok && failed <= 3) std::fprintf(stderr, "incomplete stream: %.300s\n", s.data.c_str());
            if (s.fd >= 0 && ok && started < total) {  // keep-alive: the next stream on this connection
                Stream next;
                next.fd = s.fd;
                next.start = Clock::now();
                keep.push_back(std::move(next));
                ++started;
            } else if (s.fd >= 0) {
                ::close(s.fd);
            }
        }
        open = std::move(keep);
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("streams=%d complete=%d failed=%d first_p50_ms=%.3f first_p90_ms=%.3f max_open=%d elapsed_s=%.2f\n",
                total, complete, failed, pct(first, 0.5), pct(first, 0.9), maxLive, secs);
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
