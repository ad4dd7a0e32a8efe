// Open-loop, fixed-rate HTTP/1.1 load generator for bench/management-bench.sh and
// bench/proxy-bench.sh (what wrk2 does; wrk2 is not packaged in Debian). Single
// thread, epoll, keep-alive connections, no pipelining.
//
//   cpa_bench_rate [--warmup=S] [--body=FILE] <port> <path> <rate_per_s> <seconds> <connections> [header...]
//
// GET by default; --body=FILE sends every request as a POST of that file's
// bytes (application/json unless a Content-Type header is given).
//
// Request i is due at t0 + i/rate (one global schedule) and goes out on the
// first free connection. Its latency is measured from that due time, not from
// when it was sent: when every connection is busy, the wait for one counts,
// so a stalled server cannot slow the generator down and hide its stall
// (no coordinated omission). Requests due in the first S seconds warm up and
// are not counted. After the last due time, requests still waiting or in
// flight get up to 2 s to finish; those that do not count as errors.
// Prints one line: sent= ok= errors= achieved_rps= p50_us= p90_us= p99_us= p999_us= max_us=
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "loopback_connect.hpp"
#include "response_framing.hpp"

namespace {

using cpa::bench::responseLength;

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC on Linux, as the timerfd

constexpr std::int64_t kDrainNs = 2'000'000'000;

int connectTo(int port) {  // blocking connect on loopback, then non-blocking
    const int fd = cpa::bench::connectLoopback(port);
    if (fd >= 0) ::fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

struct Conn {
    int fd{-1};
    bool busy{};
    std::int64_t index{};  // request in flight
    std::string in;
    std::size_t outOff{};  // bytes of the request already written
    bool wantOut{};        // EPOLLOUT registered (only after a partial write)
};

double nearestRank(const std::vector<std::int64_t>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return static_cast<double>(sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1]) / 1000.0;
}

class Generator {
public:
    Generator(int port, std::string request, double rate, double seconds, double warmup)
        : port_(port),
          req_(std::move(request)),
          rate_(rate),
          total_(static_cast<std::int64_t>(std::llround(rate * seconds))),
          firstMeasured_(static_cast<std::int64_t>(std::ceil(rate * warmup))) {}

    int run(int connections) {
        ep_ = ::epoll_create1(EPOLL_CLOEXEC);
        tfd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (ep_ < 0 || tfd_ < 0) return fail("epoll/timerfd");
        add(tfd_, EPOLLIN, -1);
        conns_.resize(static_cast<std::size_t>(connections));
        for (std::size_t i = 0; i < conns_.size(); ++i)
            if (!reconnect(i)) return fail("connect");
        t0_ = Clock::now() + std::chrono::milliseconds(10);
        loop();
        return report();
    }

private:
    std::int64_t due(std::int64_t i) const { return static_cast<std::int64_t>(static_cast<double>(i) * 1e9 / rate_); }
    std::int64_t now() const {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0_).count();
    }

    int fail(const char* what) {
        std::fprintf(stderr, "cpa_bench_rate: %s failed: %s\n", what, std::strerror(errno));
        return 2;
    }
    void add(int fd, std::uint32_t events, std::int64_t tag) {
        epoll_event ev{};
        ev.events = events;
        ev.data.u64 = static_cast<std::uint64_t>(tag + 1);  // 0 is the timer
        ::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
    }
    void mod(std::size_t c, std::uint32_t events) {
        epoll_event ev{};
        ev.events = events;
        ev.data.u64 = c + 1;
        ::epoll_ctl(ep_, EPOLL_CTL_MOD, conns_[c].fd, &ev);
    }
    bool reconnect(std::size_t c) {
        Conn& k = conns_[c];
        if (k.fd >= 0) ::close(k.fd);  // also leaves the epoll set
        k = Conn{};
        std::erase(idle_, c);  // an idle connection the server closed is still listed
        k.fd = connectTo(port_);
        if (k.fd < 0) return false;
        add(k.fd, EPOLLIN, static_cast<std::int64_t>(c));
        idle_.push_back(c);
        return true;
    }
    void armTimer(std::int64_t at) {  // absolute: the next due time
        if (at == armed_) return;
        armed_ = at;
        const auto abs = std::chrono::duration_cast<std::chrono::nanoseconds>(t0_.time_since_epoch()).count() + at;
        itimerspec ts{};
        ts.it_value.tv_sec = abs / 1'000'000'000;
        ts.it_value.tv_nsec = abs % 1'000'000'000;
        ::timerfd_settime(tfd_, TFD_TIMER_ABSTIME, &ts, nullptr);
    }

    void send(std::size_t c) {
        Conn& k = conns_[c];
        while (k.outOff < req_.size()) {
            const ssize_t n = ::send(k.fd, req_.data() + k.outOff, req_.size() - k.outOff, MSG_NOSIGNAL);
            if (n > 0) {
                k.outOff += static_cast<std::size_t>(n);
            } else if (n < 0 && errno == EAGAIN) {
                if (!k.wantOut) mod(c, EPOLLIN | EPOLLOUT);
                k.wantOut = true;
                return;
            } else {
                return lost(c);
            }
        }
        if (k.wantOut) mod(c, EPOLLIN);  // one syscall fewer per request in the usual case
        k.wantOut = false;
    }
    void lost(std::size_t c) {  // the connection broke: its request failed, open a new one
        if (conns_[c].busy) finish(conns_[c].index, -1);
        if (!reconnect(c)) ++dead_;
    }
    void finish(std::int64_t index, int status) {
        --busy_;
        if (index < firstMeasured_) return;
        if (status >= 200 && status < 300) {
            ++ok_;
            const std::int64_t done = now();
            lat_.push_back(done - due(index));
            lastDone_ = done;
        } else {
            ++errors_;
            ++(status >= 0 ? non2xx_ : broken_);
        }
    }
    void readable(std::size_t c) {
        Conn& k = conns_[c];
        char tmp[16384];
        for (;;) {
            const ssize_t n = ::recv(k.fd, tmp, sizeof tmp, 0);
            if (n > 0) {
                k.in.append(tmp, static_cast<std::size_t>(n));
                if (static_cast<std::size_t>(n) < sizeof tmp) break;  // drained; level-triggered epoll reports more
                continue;
            }
            if (n < 0 && errno == EAGAIN) break;
            return lost(c);  // EOF or error; idle keep-alive closes land here too
        }
        int status = 0;
        bool close = false;
        const long len = k.busy ? responseLength(k.in, status, close) : -1;
        if (len == 0) return;
        if (len < 0) return lost(c);
        k.in.erase(0, static_cast<std::size_t>(len));
        k.busy = false;
        finish(k.index, status);
        if (close) return lost(c);  // already counted, not busy: just reconnect
        idle_.push_back(c);
    }

    void loop() {
        const std::int64_t end = due(total_) + kDrainNs;
        epoll_event evs[256];
        for (;;) {
            const std::int64_t t = now();
            while (next_ < total_ && due(next_) <= t && !idle_.empty()) {
                const std::size_t c = idle_.front();
                idle_.pop_front();
                conns_[c].busy = true;
                conns_[c].index = next_++;
                conns_[c].outOff = 0;
                ++busy_;
                if (conns_[c].index >= firstMeasured_) ++sent_;
                send(c);
            }
            if ((next_ >= total_ && busy_ == 0) || t > end) break;
            if (dead_ == static_cast<int>(conns_.size())) break;
            // Sleep until the next due time unless a request is already waiting for a connection.
            if (next_ < total_ && !idle_.empty()) armTimer(due(next_));
            const int n = ::epoll_wait(ep_, evs, 256, 100);
            for (int i = 0; i < n; ++i) {
                if (evs[i].data.u64 == 0) {
                    std::uint64_t expirations;
                    [[maybe_unused]] const ssize_t r = ::read(tfd_, &expirations, sizeof expirations);
                    armed_ = -1;
                    continue;
                }
                const std::size_t c = evs[i].data.u64 - 1;
                if (conns_[c].fd < 0) continue;
                if (evs[i].events & EPOLLOUT) send(c);
                if (conns_[c].fd >= 0 && evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) readable(c);
            }
        }
    }

    int report() {
        // Measured requests that never completed: still waiting for a connection, or in flight.
        std::int64_t unfinished = std::max<std::int64_t>(0, total_ - std::max(next_, firstMeasured_));
        for (const Conn& k : conns_) unfinished += k.busy && k.index >= firstMeasured_;
        errors_ += unfinished;
        std::sort(lat_.begin(), lat_.end());
        const double window = static_cast<double>(lastDone_ - due(firstMeasured_)) / 1e9;
        std::printf(
            "sent=%lld ok=%lld errors=%lld achieved_rps=%.1f p50_us=%.1f p90_us=%.1f p99_us=%.1f "
            "p999_us=%.1f max_us=%.1f\n",
            static_cast<long long>(sent_), static_cast<long long>(ok_), static_cast<long long>(errors_),
            window > 0 ? static_cast<double>(ok_) / window : 0.0, nearestRank(lat_, 0.5), nearestRank(lat_, 0.9),
            nearestRank(lat_, 0.99), nearestRank(lat_, 0.999),
            lat_.empty() ? 0.0 : static_cast<double>(lat_.back()) / 1000.0);
        if (errors_ > 0)
            std::fprintf(stderr,
                         "cpa_bench_rate: %lld non-2xx, %lld lost with their connection (closed, reset or unparsable "
                         "response), %lld unfinished after the %llds drain, %d connections could not reconnect\n",
                         static_cast<long long>(non2xx_), static_cast<long long>(broken_),
                         static_cast<long long>(unfinished), static_cast<long long>(kDrainNs / 1'000'000'000), dead_);
        return errors_ == 0 && ok_ > 0 ? 0 : 1;
    }

    int port_;
    std::string req_;
    double rate_;
    std::int64_t total_, firstMeasured_;
    int ep_{-1}, tfd_{-1}, dead_{};
    Clock::time_point t0_;
    std::int64_t armed_{-1}, next_{}, busy_{}, sent_{}, ok_{}, errors_{}, non2xx_{}, broken_{}, lastDone_{};
    std::vector<Conn> conns_;
    std::deque<std::size_t> idle_;   // FIFO: every connection carries rate/connections, as in wrk2
    std::vector<std::int64_t> lat_;  // ns from due time to the response's last byte
};

}  // namespace

int main(int argc, char** argv) {
    double warmup = 0;
    std::optional<std::string> body;
    int a = 1;
    for (; a < argc && std::strncmp(argv[a], "--", 2) == 0; ++a) {
        if (std::strncmp(argv[a], "--warmup=", 9) == 0) {
            warmup = std::atof(argv[a] + 9);
        } else if (std::strncmp(argv[a], "--body=", 7) == 0) {
            std::ifstream in(argv[a] + 7, std::ios::binary);
            if (!in) {
                std::fprintf(stderr, "cpa_bench_rate: cannot read %s\n", argv[a] + 7);
                return 2;
            }
            std::ostringstream text;
            text << in.rdbuf();
            body = text.str();
        } else {
            std::fprintf(stderr, "cpa_bench_rate: unknown option %s\n", argv[a]);
            return 2;
        }
    }
    if (argc - a < 5) {
        std::fprintf(stderr,
                     "usage: cpa_bench_rate [--warmup=S] [--body=FILE] <port> <path> <rate_per_s> <seconds> "
                     "<connections> [header...]\n");
        return 2;
    }
    const int port = std::atoi(argv[a]);
    const std::string path = argv[a + 1];
    const double rate = std::atof(argv[a + 2]), seconds = std::atof(argv[a + 3]);
    const int connections = std::atoi(argv[a + 4]);
    if (port <= 0 || port > 65535 || path.empty() || path[0] != '/' || !(rate > 0) || !(seconds > 0) ||
        connections <= 0 || connections > 10000 || warmup < 0 || warmup >= seconds) {
        std::fprintf(stderr,
                     "cpa_bench_rate: bad arguments (need 0 <= warmup < seconds, rate > 0, 1..10000 connections)\n");
        return 2;
    }
    std::string req = std::string(body ? "POST " : "GET ") + path + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                      std::to_string(port) + "\r\n";
    bool typed = false;
    for (int i = a + 5; i < argc; ++i) {
        const std::string h = argv[i];
        if (h.find_first_of("\r\n") != std::string::npos || h.find(':') == std::string::npos) {
            std::fprintf(stderr, "cpa_bench_rate: a header is 'Name: value' on one line\n");
            return 2;
        }
        typed = typed || strncasecmp(h.c_str(), "content-type:", 13) == 0;
        req += h + "\r\n";
    }
    if (body) {
        if (!typed) req += "Content-Type: application/json\r\n";
        req += "Content-Length: " + std::to_string(body->size()) + "\r\n\r\n" + *body;
    } else {
        req += "\r\n";
    }
    return Generator(port, std::move(req), rate, seconds, warmup).run(connections);
}
