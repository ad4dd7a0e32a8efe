#!/usr/bin/env bash
# The metrics module's per-request cost (issue 25): ns per recorded request on
# the request thread (core observer call + usage.record), 1 and 2 threads.
# Target: ≤ 1 µs per request at 20 k req/s. Usage: bench/metrics-bench.sh [build-dir] [requests]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/release}"
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$build" --target cpa_metrics_bench -j2 >/dev/null
"$build/bin/cpa_metrics_bench" "${2:-2000000}"
