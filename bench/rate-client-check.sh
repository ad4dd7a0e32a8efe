#!/usr/bin/env bash
# Quick check of cpa_bench_rate (a few seconds) against bench/hello_server:
# 1. at 2000 req/s it sends exactly rate × (seconds − warm-up) requests, all
#    answered, achieved rate within 3 % of the requested one, percentiles in order;
# 2. open loop: the server is stopped (SIGSTOP) for 300 ms mid-run. Every request
#    due during the stall must carry its wait, so ~12 % of the requests are late
#    and p90 is tens of ms (a closed-loop client would delay only the one request
#    in flight per connection, 16 of 5000, and leave p90 unchanged); the rate catches up.
# Usage: bench/rate-client-check.sh [build-dir]   (default build/release; binaries built already)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

"$BUILD/bin/cpa_bench_hello" 0 2> "$work/hello.log" &
hello=$!
for _ in $(seq 1 50); do grep -q "listening on" "$work/hello.log" && break; sleep 0.1; done
port=$(grep -o "listening on [^ ]*" "$work/hello.log" | sed 's/.*://')

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
fails=0
check() {  # description, awk condition over the line's fields
  if awk -v "$2" 'BEGIN { exit !('"$3"') }'; then echo "ok   $1"; else echo "FAIL $1 ($2)"; fails=$((fails + 1)); fi
}

line=$("$BUILD/bin/cpa_bench_rate" --warmup=0.5 "$port" / 2000 3 16 "Authorization: Bearer x")
echo "steady: $line"
check "sent = 2000 × 2.5 s" "v=$(field "$line" sent)" "v == 5000"
check "all answered" "v=$(field "$line" ok)/$(field "$line" errors)" "v == \"5000/0\""
check "achieved rate within 3 %" "v=$(field "$line" achieved_rps)" "v >= 1940 && v <= 2060"
check "p50 <= p90 <= p99 <= p999 <= max" \
  "v=$(field "$line" p50_us) $(field "$line" p90_us) $(field "$line" p99_us) $(field "$line" p999_us) $(field "$line" max_us)" \
  "split(v, a, \" \") && a[1] > 0 && a[1] <= a[2] && a[2] <= a[3] && a[3] <= a[4] && a[4] <= a[5]"

"$BUILD/bin/cpa_bench_rate" --warmup=0.5 "$port" / 2000 3 16 > "$work/stall.out" &
client=$!
sleep 1.5; kill -STOP "$hello"; sleep 0.3; kill -CONT "$hello"
wait "$client" || true
line=$(cat "$work/stall.out")
echo "stalled: $line"
check "no errors" "v=$(field "$line" errors)" "v == 0"
check "max covers the 300 ms stall" "v=$(field "$line" max_us)" "v >= 280000 && v < 1000000"
check "p90 carries the queued requests (>= 20 ms)" "v=$(field "$line" p90_us)" "v >= 20000"
check "rate caught up (within 5 %)" "v=$(field "$line" achieved_rps)" "v >= 1900 && v <= 2100"
[ "$fails" = 0 ] && echo "rate client check passed" || { echo "$fails check(s) failed"; exit 1; }
