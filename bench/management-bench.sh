#!/usr/bin/env bash
# Authenticated GET /v0/management/quota-exceeded/switch-project under wrk
# (-t2 -c64), cpa-server pinned to one core, beside a minimal Poco "hello
# JSON" server built the same way, in the same run. Prints the numbers and the
# ratios against the targets (>= 0.7x requests/s, <= 1.5x p99), then the idle
# keep-alive probe (a fresh request while 512 idle connections are open).
# Usage: bench/management-bench.sh [build-dir]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DURATION=${DURATION:-10s}
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps"; exit 1; }
cmake --build "$BUILD" --target cpa-server cpa_quota cpa_bench_hello >/dev/null

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/config.yaml" <<YAML
host: "127.0.0.1"
port: 0
remote-management:
  secret-key: "bench-secret"
modules: [quota]
quota-exceeded:
  switch-project: true
YAML

wait_port() {  # file → port from the "listening on host:port" line
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$1" 2>/dev/null; then
      grep -o "listening on [^ ]*" "$1" | head -1 | sed 's/.*://'; return 0
    fi
    sleep 0.1
  done
  echo "server did not start:" >&2; cat "$1" >&2; exit 1
}

run_wrk() {  # url [header] → "rps p99_ms"
  local out
  if [ -n "${2:-}" ]; then
    out=$(taskset -c 1 wrk -t2 -c64 -d"$DURATION" --latency -H "$2" "$1")
  else
    out=$(taskset -c 1 wrk -t2 -c64 -d"$DURATION" --latency "$1")
  fi
  echo "$out" >&2
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
  echo "$rps $p99"
}

echo "== baseline: Poco hello JSON (pinned to core 0)"
taskset -c 0 "$BUILD/bin/cpa_bench_hello" 0 2> "$work/hello.log" &
hello_port=$(wait_port "$work/hello.log")
read -r base_rps base_p99 < <(run_wrk "http://127.0.0.1:$hello_port/")
kill %1; wait %1 2>/dev/null || true

echo "== cpa-server (pinned to core 0)"
taskset -c 0 "$BUILD/bin/cpa-server" --config "$work/config.yaml" 2> "$work/cpa.log" &
cpa_port=$(wait_port "$work/cpa.log")
url="http://127.0.0.1:$cpa_port/v0/management/quota-exceeded/switch-project"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer bench-secret" "$url")
[ "$code" = 200 ] || { echo "warm-up request answered $code"; cat "$work/cpa.log"; exit 1; }
read -r cpa_rps cpa_p99 < <(run_wrk "$url" "Authorization: Bearer bench-secret")

echo "== idle keep-alive probe (512 idle connections)"
python3 bench/idle_probe.py 127.0.0.1 "$cpa_port" 512 /v0/management/quota-exceeded/switch-project \
  $'Authorization: Bearer bench-secret\r\n'

awk -v br="$base_rps" -v bp="$base_p99" -v cr="$cpa_rps" -v cp="$cpa_p99" 'BEGIN {
  printf "\nbaseline  : %10.0f req/s  p99 %8.2f ms\n", br, bp
  printf "cpa-server: %10.0f req/s  p99 %8.2f ms\n", cr, cp
  printf "ratio     : %10.2fx req/s (target >= 0.70)   %5.2fx p99 (target <= 1.50)\n", cr/br, cp/bp
}'
