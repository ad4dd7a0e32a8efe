// The metrics module's cost per recorded request (issue 25): what a client
// request adds on its own thread — one RequestObserver call from the core and
// one usage.record delivery (the record itself is built by the data plane for
// the usage module anyway). Prints ns per request for 1 and 2 threads over a
// realistic label mix (40 routes × 3 statuses, 8 credentials × 4 models).
// Numbers are thread CPU time per request (so a loaded machine does not
// inflate them). Run: bench/metrics-bench.sh (target ≤ 1 µs per request at 20 k req/s).
#include "metrics_module.hpp"

#include <cpa/sdk/testing/fakes.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <time.h>
#include <vector>

using cpa::sdk::Value;
using Clock = std::chrono::steady_clock;

namespace {

struct Workload {
    std::vector<std::string> routes;
    std::vector<Value> usage;
};

Workload makeWorkload() {
    Workload w;
    for (int i = 0; i < 40; ++i) w.routes.push_back("/v1/route-" + std::to_string(i));
    for (int c = 0; c < 8; ++c) {
        for (int m = 0; m < 4; ++m) {
            w.usage.push_back(Value::object({
                {"provider", "openai"},
                {"model", "model-" + std::to_string(m)},
                {"auth_index", "idx" + std::to_string(c)},
                {"api_key", "client-key"},
                {"latency_ms", 120 + c},
                {"failed", (c + m) % 7 == 0},
                {"tokens", Value::object({{"input_tokens", 100},
                                          {"output_tokens", 50},
                                          {"cached_tokens", 10},
                                          {"reasoning_tokens", 5},
                                          {"total_tokens", 150}})},
            }));
        }
    }
    return w;
}

enum Part { Both = 3, ObserverOnly = 1, UsageOnly = 2 };

double nsPerRequest(cpa::metrics::MetricsModule& module, const Workload& w, int threads, long perThread,
                    Part part = Both) {
    std::atomic<bool> go{false};
    std::atomic<long long> cpuNs{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            while (!go.load()) {
            }
            timespec cpu0{};
            ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
            cpa::sdk::RequestSample s;
            s.method = "POST";
            s.access = cpa::sdk::Access::ClientKey;
            s.routed = true;
            for (long i = 0; i < perThread; ++i) {
                const std::size_t k = static_cast<std::size_t>(i + t * 7);
                s.routePattern = w.routes[k % w.routes.size()];
                s.status = (k % 3 == 0) ? 429 : 200;
                s.latencyNs = static_cast<std::int64_t>(1'000'000 + (k % 1000) * 1000);
                s.firstByteNs = s.latencyNs / 2;
                s.streamed = (k & 1) != 0;
                if (part & ObserverOnly) module.requests().onRequest(s);
                if (part & UsageOnly) module.upstream().record(w.usage[k % w.usage.size()]);
            }
            timespec cpu1{};
            ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
            cpuNs += (cpu1.tv_sec - cpu0.tv_sec) * 1'000'000'000LL + (cpu1.tv_nsec - cpu0.tv_nsec);
        });
    }
    const auto start = Clock::now();
    go.store(true);
    for (auto& th : pool) th.join();
    (void)start;
    // CPU time of the recording threads per request: the cost itself, not the
    // waits of a shared machine (wall time would count descheduled periods).
    return static_cast<double>(cpuNs.load()) / static_cast<double>(perThread * threads);
}

}  // namespace

int main(int argc, char** argv) {
    const long perThread = argc > 1 ? std::atol(argv[1]) : 2'000'000;
    cpa::sdk::testing::FakeContext ctx;
    cpa::metrics::MetricsModule module;
    module.configure(ctx);
    module.start();
    const Workload w = makeWorkload();
    nsPerRequest(module, w, 1, 100'000);  // warm-up: every series exists afterwards
    for (int threads : {1, 2}) {
        const double ns = nsPerRequest(module, w, threads, perThread);
        std::printf("metrics-bench: %d thread(s), %ld requests each: %.0f ns per recorded request\n", threads,
                    perThread, ns);
    }
    std::printf("metrics-bench: of which the core's observer call: %.0f ns, one usage.record: %.0f ns\n",
                nsPerRequest(module, w, 1, perThread, ObserverOnly), nsPerRequest(module, w, 1, perThread, UsageOnly));
    const auto t0 = Clock::now();
    const std::string text = module.render();
    const double scrapeMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::printf("metrics-bench: one scrape: %.2f ms, %zu bytes\n", scrapeMs, text.size());
    module.stop();
    return 0;
}
