// Usage module at 1 000 000 records (issue 7), in-process against the SDK
// fakes so the numbers are the module's own: recording throughput on the
// publishing thread, GET /usage and export latency, import time, replay time
// and resident memory. Run through bench/usage-bench.sh.
#include "usage_module.hpp"

#include <cpa/sdk/testing/fakes.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace st = cpa::sdk::testing;
namespace fs = std::filesystem;
using cpa::sdk::Method;
using cpa::sdk::Value;
using Clock = std::chrono::steady_clock;

namespace {

long rssMiB() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) / 1024;
    }
    return -1;
}

// Peak resident memory since the last resetPeak().
long peakMiB() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
    }
    return -1;
}

void resetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Instance {
    st::FakeContext ctx{Value::object({{"usage-statistics-enabled", true}})};
    st::FakeRouter router;
    cpa::usage::UsageModule module;
    explicit Instance(const fs::path& data) {
        ctx.mutablePaths().dataDir = data.string();
        module.configure(ctx);
        module.registerRoutes(router);
    }
    ~Instance() { module.stop(); }
};

double medianGet(st::FakeRouter& router, const char* path, std::size_t* bytes) {
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) {
        const auto t0 = Clock::now();
        auto r = router.call(Method::Get, path);
        times.push_back(ms(Clock::now() - t0));
        *bytes = r.streaming() ? r.streamed().size() : r.body().size();
        if (r.status() != 200) std::printf("GET %s -> %d\n", path, r.status());
    }
    std::sort(times.begin(), times.end());
    return times[2];
}

}  // namespace

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::stol(argv[1]) : 1000000;
    const fs::path dir = fs::temp_directory_path() / ("cpa-usage-bench-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    std::printf("records: %ld\n", n);

    // 20 client keys x 5 models x 50 credentials, one request every 10 ms.
    std::vector<Value> events;
    events.reserve(1000);
    for (int i = 0; i < 1000; ++i) {
        char ts[64];
        std::snprintf(ts, sizeof ts, "2026-05-01T%02d:%02d:%02d.%03d+08:00", i % 24, i % 60, (i * 7) % 60, i);
        events.push_back(Value::object(
            {{"provider", "codex"},
             {"model", "gpt-5-" + std::to_string(i % 5)},
             {"api_key", "sk-client-" + std::to_string(i % 20)},
             {"endpoint", "POST /v1/chat/completions"},
             {"auth_index", "0123456789ab" + std::to_string(1000 + i % 50)},
             {"source", "user" + std::to_string(i % 50) + "@example.com"},
             {"requested_at", std::string(ts)},
             {"latency_ms", 100 + i},
             {"failed", i % 17 == 0},
             {"tokens", Value::object({{"input_tokens", 500 + i}, {"output_tokens", 100}, {"cached_tokens", 3}})}}));
    }

    std::string exported;
    {
        Instance a(dir / "a");
        const auto t0 = Clock::now();
        for (long i = 0; i < n; ++i) {
            Value& e = events[static_cast<std::size_t>(i % 1000)];
            e["tokens"].set("input_tokens", Value(static_cast<long long>(i)));  // every record distinct
            a.module.onRecord(e);
        }
        const double recordMs = ms(Clock::now() - t0);
        std::printf("record (publishing thread): %.0f ms, %.0f records/s (target 200000)\n", recordMs,
                    static_cast<double>(n) / (recordMs / 1000.0));
        std::printf("rss after %ld records: %ld MiB (target < 300)\n", n, rssMiB());
        std::size_t bytes = 0;
        const double getMs = medianGet(a.router, "/v0/management/usage", &bytes);
        std::printf("GET /usage in-process, body streamed into a string (median of 5): %.1f ms, %zu MiB\n", getMs, bytes >> 20);
        {
            const auto t0b = Clock::now();
            const auto pieces = a.module.store().usagePieces();
            std::printf("  of which the store's lock is held (taking the shared pieces): %.1f ms, %zu pieces\n",
                        ms(Clock::now() - t0b), pieces.size());
        }
        exported = a.module.store().exportBody("2026-05-01T04:00:00Z");
        const auto t1 = Clock::now();
        a.module.stop();
        std::printf("log drain + fsync at stop: %.0f ms, file %.0f MiB\n", ms(Clock::now() - t1),
                    static_cast<double>(fs::file_size(dir / "a" / "usage.jsonl")) / (1 << 20));
    }
    {
        const auto t0 = Clock::now();
        Instance again(dir / "a");
        std::printf("restart replay of %ld records: %.0f ms\n", n, ms(Clock::now() - t0));
    }
    {
        Instance b(dir / "b");
        const long before = rssMiB();
        resetPeak();
        const auto t0 = Clock::now();
        auto r = b.router.call(Method::Post, "/v0/management/usage/import", exported);
        std::printf("POST /usage/import of %zu MiB: %.0f ms -> %s\n", exported.size() >> 20, ms(Clock::now() - t0),
                    r.body().c_str());
        const auto t1 = Clock::now();
        auto again = b.router.call(Method::Post, "/v0/management/usage/import", exported);
        std::printf("same import again: %.0f ms -> %s\n", ms(Clock::now() - t1), again.body().c_str());
        std::printf("rss before the imports %ld MiB (the exported text included), peak during them %ld MiB, after %ld MiB\n",
                    before, peakMiB(), rssMiB());
    }
    if (argc > 2) {  // for the end-to-end stage of bench/usage-bench.sh
        std::ofstream(argv[2], std::ios::binary) << exported;
    }
    fs::remove_all(dir);
    return 0;
}
