#!/usr/bin/env bash
# Authenticated GET /v0/management/quota-exceeded/switch-project under wrk
# (-t2 -c64), cpa-server pinned to one core, beside a minimal Poco "hello
# JSON" server built the same way, in the same run. The two servers are
# measured alternately, ROUNDS times (default 3), so that noise from other
# work on the machine hits both; the ratios of each round and their medians
# are printed against the targets (>= 0.7x requests/s, <= 1.5x p99), then the
# idle keep-alive probe (a fresh request while 512 idle connections are open).
# Then the equal-rate part: wrk is closed-loop, so it drives the faster server
# at a higher rate and its p99 ratio compares different loads. cpa_bench_rate
# (bench/rate_client.cpp, open loop, latency from each request's due time)
# drives both servers at the same fixed rates (2000 req/s, 50 % and 80 % of
# the baseline's median wrk req/s), alternately, RATE_ROUNDS times, and the
# p99 ratio's median per rate is printed against the same target.
# Usage: bench/management-bench.sh [build-dir]   (default build/release)
# Env: DURATION (wrk -d, default 10s), ROUNDS (default 3; 0 skips wrk, then
# RATES is needed), RATES (req/s list, e.g. "2000 8000"; default derived from
# wrk), RATE_SECONDS (per measurement incl. 1 s warm-up, default 5),
# RATE_ROUNDS (default 3; 0 skips the part), RATE_CONNECTIONS (default 64),
# NO_BUILD=1 (use the binaries as they are). cpa's log (access lines included)
# goes to a file.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
RATES=${RATES:-}
RATE_SECONDS=${RATE_SECONDS:-5}
RATE_ROUNDS=${RATE_ROUNDS:-3}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-64}
[ "$ROUNDS" -gt 0 ] || [ -n "$RATES" ] || [ "$RATE_ROUNDS" = 0 ] || { echo "ROUNDS=0 needs RATES"; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps"; exit 1; }
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_quota cpa_bench_hello cpa_bench_rate >/dev/null

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
# The config gets a directory of its own: cpa watches the config's directory
# (inotify), and a log file written beside it would wake the watcher on every
# write, which production does not do (logs go to logs/ or the journal).
mkdir "$work/cfg"
cat > "$work/cfg/config.yaml" <<YAML
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
  echo "$out" | grep -E "Requests/sec|99%|Socket errors|Non-2xx" >&2
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
  echo "$rps $p99"
}

taskset -c 0 "$BUILD/bin/cpa_bench_hello" 0 2> "$work/hello.log" &
hello_pid=$!
hello_port=$(wait_port "$work/hello.log")

taskset -c 0 "$BUILD/bin/cpa-server" --config "$work/cfg/config.yaml" > "$work/cpa.log" 2>&1 &
cpa_pid=$!
cpa_port=$(wait_port "$work/cpa.log")
url="http://127.0.0.1:$cpa_port/v0/management/quota-exceeded/switch-project"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer bench-secret" "$url")
[ "$code" = 200 ] || { echo "warm-up request answered $code"; cat "$work/cpa.log"; exit 1; }

results=()
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which server goes first, so drift in machine load hits both.
  if [ $((round % 2)) = 1 ]; then order="hello cpa"; else order="cpa hello"; fi
  for who in $order; do
    echo "== round $round: $who" >&2
    if [ "$who" = hello ]; then
      read -r base_rps base_p99 < <(run_wrk "http://127.0.0.1:$hello_port/")
    else
      read -r cpa_rps cpa_p99 < <(run_wrk "$url" "Authorization: Bearer bench-secret")
    fi
  done
  results+=("$base_rps $base_p99 $cpa_rps $cpa_p99")
done

echo "== idle keep-alive probe (512 idle connections)"
python3 bench/idle_probe.py 127.0.0.1 "$cpa_port" 512 /v0/management/quota-exceeded/switch-project \
  $'Authorization: Bearer bench-secret\r\n'

[ "${#results[@]}" = 0 ] || printf '%s\n' "${results[@]}" | awk '
  { br[NR]=$1; bp[NR]=$2; cr[NR]=$3; cp[NR]=$4; rr[NR]=$3/$1; pr[NR]=$4/$2
    printf "round %d: baseline %8.0f req/s p99 %7.2f ms | cpa %8.0f req/s p99 %7.2f ms | %.2fx req/s %.2fx p99\n",
           NR, $1, $2, $3, $4, rr[NR], pr[NR] }
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
  }
  END { n = NR
    printf "\nmedian ratio: %.2fx req/s (target >= 0.70)   %.2fx p99 (target <= 1.50)\n", median(rr, n), median(pr, n) }'

# ---- Equal rate: both servers driven at the same fixed request rates ----
[ "$RATE_ROUNDS" -gt 0 ] || exit 0
if [ -z "$RATES" ]; then
  RATES=$(printf '%s\n' "${results[@]}" | awk '{ r[NR] = $1 }
    END { n = NR; for (i = 2; i <= n; i++) for (j = i; j > 1 && r[j-1] > r[j]; j--) { t = r[j]; r[j] = r[j-1]; r[j-1] = t }
          m = n % 2 ? r[(n+1)/2] : (r[n/2] + r[n/2+1]) / 2
          printf "2000 %d %d", m * 0.5, m * 0.8 }')
fi

run_rate() {  # port path rate [header] → "p50_us p99_us achieved_rps errors"
  local out
  # Pinned like wrk; exits 1 when requests failed, which the summary reports.
  out=$(taskset -c 1 "$BUILD/bin/cpa_bench_rate" --warmup=1 "$1" "$2" "$3" "$RATE_SECONDS" "$RATE_CONNECTIONS" \
        ${4:+"$4"}) || true
  echo "$out" >&2
  echo "$out" | tr ' ' '\n' | awk -F= '{ v[$1] = $2 }
    END { if (v["errors"] == "") printf "0 0 0 fail\n"  # no result line: the client failed outright
          else printf "%s %s %s %s\n", v["p50_us"], v["p99_us"], v["achieved_rps"], v["errors"] }'
}

echo "== equal rate: $RATES req/s, $RATE_ROUNDS rounds of ${RATE_SECONDS}s, $RATE_CONNECTIONS connections"
rate_results=()
for rate in $RATES; do
  for round in $(seq 1 "$RATE_ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="hello cpa"; else order="cpa hello"; fi
    for who in $order; do
      echo "== $rate req/s, round $round: $who" >&2
      if [ "$who" = hello ]; then
        read -r b50 b99 bach berr < <(run_rate "$hello_port" / "$rate")
      else
        read -r c50 c99 cach cerr < <(run_rate "$cpa_port" /v0/management/quota-exceeded/switch-project "$rate" \
                                        "Authorization: Bearer bench-secret")
      fi
    done
    rate_results+=("$rate $round $b50 $b99 $bach $berr $c50 $c99 $cach $cerr")
  done
done

printf '%s\n' "${rate_results[@]}" | awk '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
  }
  function summary() {
    if (n) printf "  %6d req/s: median p99 ratio %.2fx (target <= 1.50)%s\n", cur, median(pr, n), warn
  }
  $1 != cur { summary(); cur = $1; n = 0; warn = "" }
  { n++; pr[n] = $4 > 0 ? $8 / $4 : 0
    # A server that fell behind the schedule, or failed requests, makes that p99 a backlog, not a tail.
    if ($5 < 0.97 * $1 || $9 < 0.97 * $1 || $6 != 0 || $10 != 0) warn = "  (some round fell behind or had errors)"
    printf "%6d req/s round %d: baseline p50 %7.0f p99 %7.0f us (%6.0f/s, %s err) | cpa p50 %7.0f p99 %7.0f us (%6.0f/s, %s err) | %.2fx p99\n",
           $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, pr[n] }
  END { summary() }'
