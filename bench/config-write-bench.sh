#!/usr/bin/env bash
# Config write throughput (group commit) and management GET latency under
# writers: cpa-server with only the config module, driven by
# cpa_bench_config_writes (bench/config_write_client.cpp):
#   1. 64 writers           → writes/s, write p50/p99
#   2. 50 writers + 200 readers → GET p99 (and the writers' numbers)
# Every write is a PUT /request-retry with a new value: one fsync'd change.
# Usage: bench/config-write-bench.sh [build-dir] [client-build-dir]
#   build-dir: where bin/cpa-server and lib/cpa/modules are (default build/release);
#   client-build-dir: where bin/cpa_bench_config_writes is (default: build-dir).
# Env: SECONDS_PER_RUN (default 10), NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
CLIENT=${2:-$BUILD}
RUN=${SECONDS_PER_RUN:-10}
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_config cpa_bench_config_writes >/dev/null

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/cfg"  # its own directory: the watcher sees only config.yaml
cat > "$work/cfg/config.yaml" <<YAML
host: "127.0.0.1"
port: 0
remote-management:
  secret-key: "bench-secret"
modules: [config]
logging-to-file: false
request-retry: 3
YAML
"$BUILD/bin/cpa-server" --config "$work/cfg/config.yaml" > "$work/cpa.log" 2>&1 &
for _ in $(seq 1 100); do grep -q "listening on" "$work/cpa.log" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o "listening on [^ ]*" "$work/cpa.log" | head -1 | sed 's/.*://')
[ -n "$port" ] || { cat "$work/cpa.log"; exit 1; }

echo "64 writers, ${RUN}s:"
"$CLIENT/bin/cpa_bench_config_writes" "$port" bench-secret 64 0 "$RUN"
echo "50 writers + 200 readers, ${RUN}s:"
"$CLIENT/bin/cpa_bench_config_writes" "$port" bench-secret 50 200 "$RUN"
