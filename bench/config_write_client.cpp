// Config write throughput and read latency under writers, for
// bench/config-write-bench.sh. Blocking keep-alive connections, one per thread:
//   cpa_bench_config_writes <port> <management-key> <writers> <readers> <seconds>
// Writers PUT /v0/management/request-retry with a value unique to each write
// (so every write changes the file); readers GET the same setting. Prints
//   writes=<n> writes_per_s=<x> write_p50_ms=<x> write_p99_ms=<x> get_p99_ms=<x> errors=<n>
#include "loopback_connect.hpp"
#include "response_framing.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

/// One request/response on a keep-alive connection (reconnects once when the
/// server closed it). Returns the status, or -1.
int exchange(int& fd, int port, const std::string& request) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (fd < 0) fd = cpa::bench::connectLoopback(port);
        if (fd < 0) return -1;
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
            ::close(fd);
            fd = -1;
            continue;
        }
        std::string buf;
        char chunk[4096];
        for (;;) {
            int status = 0;
            bool close = false;
            const long n = cpa::bench::responseLength(buf, status, close);
            if (n > 0) {
                if (close) {
                    ::close(fd);
                    fd = -1;
                }
                return status;
            }
            if (n < 0) return -1;
            const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
            if (got <= 0) break;
            buf.append(chunk, static_cast<std::size_t>(got));
        }
        ::close(fd);
        fd = -1;
        if (!buf.empty()) return -1;
    }
    return -1;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr, "usage: cpa_bench_config_writes <port> <key> <writers> <readers> <seconds>\n");
        return 2;
    }
    const int port = std::atoi(argv[1]);
    const std::string key = argv[2];
    const int writers = std::atoi(argv[3]);
    const int readers = std::atoi(argv[4]);
    const auto until = Clock::now() + std::chrono::seconds(std::atoi(argv[5]));

    std::mutex m;
    std::vector<double> writeMs, readMs;
    std::atomic<long> errors{0};
    const std::string auth = "Authorization: Bearer " + key + "\r\n";
    auto worker = [&](bool write, int id) {
        int fd = -1;
        std::vector<double> lat;
        for (long i = 1; Clock::now() < until; ++i) {
            std::string req;
            if (write) {
                const std::string body = "{\"value\":" + std::to_string(id * 1000000L + i) + "}";
                req = "PUT /v0/management/request-retry HTTP/1.1\r\nHost: b\r\n" + auth +
                      "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                      body;
            } else {
                req = "GET /v0/management/request-retry HTTP/1.1\r\nHost: b\r\n" + auth + "\r\n";
            }
            const auto t0 = Clock::now();
            const int status = exchange(fd, port, req);
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            if (status != 200) {
                ++errors;
                continue;
            }
            lat.push_back(ms);
        }
        if (fd >= 0) ::close(fd);
        std::lock_guard lock(m);
        (write ? writeMs : readMs).insert((write ? writeMs : readMs).end(), lat.begin(), lat.end());
    };
    const auto started = Clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < writers; ++i) threads.emplace_back(worker, true, i + 1);
    for (int i = 0; i < readers; ++i) threads.emplace_back(worker, false, 0);
    for (auto& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const std::size_t writes = writeMs.size();
    std::printf("writes=%zu writes_per_s=%.0f write_p50_ms=%.1f write_p99_ms=%.1f gets=%zu get_p99_ms=%.1f errors=%ld\n",
                writes, static_cast<double>(writes) / seconds, percentile(writeMs, 0.5), percentile(writeMs, 0.99),
                readMs.size(), percentile(readMs, 0.99), errors.load());
    return 0;
}
